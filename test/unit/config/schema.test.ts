import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { validateConfig } from "../../../src/config/load.js";

const load = (endpoint: string) => validateConfig({ connections: [{ endpoint, client_id: "c" }] });

describe("connections[].endpoint is a host, not a URL", () => {
  it.each(["mqtts://abc-ats.iot.eu-west-1.amazonaws.com:8883", "abc-ats.iot.eu-west-1.amazonaws.com:8883", "h h", "host/path", "-leading-dash"])(
    "'%s' is refused at load",
    (endpoint) => {
      expect(() => load(endpoint)).toThrow(ConfigError);
      expect(() => load(endpoint)).toThrow(/^connections\[0\]\.endpoint: must be a host name or IP address, without scheme, port or path/);
    },
  );
  it.each(["abc-ats.iot.eu-west-1.amazonaws.com", "localhost", "127.0.0.1", "::1", "fe80::1", "broker_1.local"])("'%s' is accepted", (endpoint) => {
    expect(load(endpoint).config.connections[0]?.endpoint).toBe(endpoint);
  });
});
