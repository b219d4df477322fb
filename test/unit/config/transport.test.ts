import { describe, expect, it } from "vitest";
import { defaultBrokerPort, regionOfEndpoint } from "../../../src/config/transport.js";

describe("defaultBrokerPort", () => {
  it("gives the broker's default port by transport", () => {
    expect([defaultBrokerPort(true), defaultBrokerPort(false)]).toEqual([8883, 1883]);
    expect([defaultBrokerPort(true, "mtls_alpn"), defaultBrokerPort(true, "websocket_sigv4"), defaultBrokerPort(true, "custom_auth")]).toEqual([443, 443, 443]);
  });
});

describe("regionOfEndpoint", () => {
  it("reads the region an AWS IoT endpoint names, China's included; none from an address", () => {
    expect(regionOfEndpoint("abc123-ats.iot.eu-west-1.amazonaws.com")).toBe("eu-west-1");
    expect(regionOfEndpoint("x-ats.iot.cn-north-1.amazonaws.com.cn")).toBe("cn-north-1");
    expect(regionOfEndpoint("127.0.0.1")).toBeUndefined();
  });
});
