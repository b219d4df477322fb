import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { lifecycleTrust } from "../../../src/config/lifecycle-trust.js";
import { validateConfig } from "../../../src/config/load.js";

const AWS = "abc123-ats.iot.eu-west-1.amazonaws.com";
const config = (observerEndpoint: string, trust?: "aws_iot_core" | "broker_acl") =>
  validateConfig({
    connections: [
      { endpoint: AWS, client_id: "dev-1" },
      { name: "watcher", endpoint: observerEndpoint, client_id: "watcher" },
    ],
    lifecycle: { observer: "watcher", ...(trust !== undefined ? { trust } : {}) },
  }).config;

describe("lifecycle.trust: where the lifecycle events' authority comes from", () => {
  it("an observer on AWS IoT Core's endpoint needs nothing more (AWS alone publishes $aws/events/)", () => {
    expect(lifecycleTrust(config(AWS))).toBe("aws_iot_core");
    expect(lifecycleTrust(config("abc123-ats.iot.cn-north-1.amazonaws.com.cn"))).toBe("aws_iot_core");
    expect(lifecycleTrust({ connections: [], lifecycle: undefined })).toBeUndefined();
  });

  it("an observer on any other broker is refused unless the file says who guarantees the topics (one line naming the setting)", () => {
    expect(() => config("localhost")).toThrow(ConfigError);
    expect(() => config("mosquitto.lab")).toThrow(
      /^lifecycle\.trust: required: the observer 'watcher' connects to 'mosquitto\.lab', not an AWS IoT Core endpoint/,
    );
    expect(() => config("iot.eu-west-1.amazonaws.com.evil.example")).toThrow(/lifecycle\.trust: required/);
  });

  it("broker_acl (a broker whose ACL keeps clients off $aws/events/) and aws_iot_core under a custom domain are explicit choices", () => {
    expect(lifecycleTrust(config("localhost", "broker_acl"))).toBe("broker_acl");
    expect(lifecycleTrust(config("iot.example.com", "aws_iot_core"))).toBe("aws_iot_core");
    expect(() => validateConfig({ connections: [{ endpoint: AWS, client_id: "a" }], lifecycle: { observer: "a", trust: "anyone" } })).toThrow(
      /lifecycle\.trust/,
    );
  });
});
