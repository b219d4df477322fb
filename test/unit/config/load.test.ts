import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { loadEnvConfig, validateConfig } from "../../../src/config/load.js";

describe("loadEnvConfig: errors name the environment variable the user set", () => {
  it.each([
    [{ MQTT_ENDPOINT: "mqtts://abc.iot.eu-west-1.amazonaws.com:8883" }, /^MQTT_ENDPOINT: must be a host name or IP address/],
    [{ MQTT_ENDPOINT: "h", MQTT_PORT: "70000" }, /^MQTT_PORT: /],
    [{ MQTT_ENDPOINT: "h", MQTT_PORT: "eighty" }, /^MQTT_PORT: 'eighty' is not a port number/],
    [{ MQTT_ENDPOINT: "h", MQTT_CLIENT_ID: "" }, /^MQTT_CLIENT_ID: /],
    [{ MQTT_ENDPOINT: "h", MQTT_CERT_FILE: "/nonexistent.crt", MQTT_KEY_FILE: "/nonexistent.key" }, /^MQTT_CERT_FILE: cannot read '\/nonexistent\.crt' \(ENOENT\)/],
  ])("%j", (env, message) => {
    expect(() => loadEnvConfig(env)).toThrow(ConfigError);
    expect(() => loadEnvConfig(env)).toThrow(message);
  });

  it("no MQTT_ENDPOINT: no configuration", () => {
    expect(loadEnvConfig({})).toBeUndefined();
  });
});

describe("validateConfig: the same client ID on the same endpoint", () => {
  it("warns once per repeat, naming the first, case-insensitively on the host", () => {
    const { warnings } = validateConfig({
      connections: [
        { name: "a", endpoint: "Broker.example", client_id: "dev-1" },
        { name: "b", endpoint: "broker.example", client_id: "dev-1" },
        { name: "c", endpoint: "broker.example", client_id: "dev-2" },
        { name: "d", endpoint: "other.example", client_id: "dev-1" },
      ],
    });
    expect(warnings).toEqual([expect.stringMatching(/^connections\[1\]\.client_id: 'dev-1' on 'broker\.example' is also connections\[0\]'s; .* knocking each other off$/)]);
  });
});
