import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { loadEnvConfig, validateConfig } from "../../../src/config/load.js";

describe("loadEnvConfig: errors name the environment variable the user set", () => {
  it.each([
    [{ MQTT_ENDPOINT: "mqtts://abc.iot.eu-west-1.amazonaws.com:8883" }, /^MQTT_ENDPOINT: must be a host name or IP address/],
    [{ MQTT_ENDPOINT: "h", MQTT_PORT: "70000" }, /^MQTT_PORT: /],
    [{ MQTT_ENDPOINT: "h", MQTT_PORT: "eighty" }, /^MQTT_PORT: 'eighty' is not a port number/],
    [{ MQTT_ENDPOINT: "h", MQTT_CLIENT_ID: "" }, /^MQTT_CLIENT_ID: /],
    [
      { MQTT_ENDPOINT: "h", MQTT_CERT_FILE: "/nonexistent.crt", MQTT_KEY_FILE: "/nonexistent.key" },
      /^MQTT_CERT_FILE: cannot read '\/nonexistent\.crt' \(ENOENT\)/,
    ],
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
    expect(warnings).toEqual([
      expect.stringMatching(/^connections\[1\]\.client_id: 'dev-1' on 'broker\.example' is also connections\[0\]'s; .* knocking each other off$/),
    ]);
  });
});

describe("validateConfig: the fleet section", () => {
  const base = {
    connections: [
      { endpoint: "h", client_id: "fleet-reader" },
      { endpoint: "h", client_id: "watch" },
    ],
    journal: { path: "/tmp/mde-fleet-config/journal.jsonl" },
  };

  it("applies its defaults", () => {
    expect(validateConfig({ ...base, fleet: { connection: "fleet-reader", trust: "broker_acl" } }).config.fleet).toEqual({
      source: "mqtt",
      connection: "fleet-reader",
      evidence_topic_filter: "mqtt-diagnostics/evidence/+",
      top_k: 5,
      join_window_seconds: 10,
      trust: "broker_acl",
    });
  });

  it.each([
    [{ connection: "nope" }, /^fleet\.connection: 'nope' is not a configured connection/],
    [{ connection: "watch", evidence_topic_filter: "a/b+/c" }, /^fleet\.evidence_topic_filter: 'a\/b\+\/c' is not an MQTT topic filter/],
    [{ connection: "watch", evidence_topic_filter: "a/#/c" }, /^fleet\.evidence_topic_filter: /],
    [{ connection: "watch", evidence_topic_filter: "$aws/rules/r/x" }, /^fleet\.evidence_topic_filter: Basic Ingest topics/],
    [{ connection: "watch", top_k: 500 }, /^fleet\.top_k: /],
    [{ connection: "watch", source: "kafka" }, /^fleet\.source: /],
    [{ connection: "watch", extra: 1 }, /^fleet: unknown key 'extra'/],
  ])("refuses %j in one line naming the setting", (fleet, message) => {
    expect(() => validateConfig({ ...base, fleet })).toThrow(message);
  });

  it("source kinesis: its defaults, the lease directory relative to the configuration's folder, no subscriber needed", () => {
    const fleet = validateConfig({ ...base, fleet: { source: "kinesis", kinesis: { stream: "iot-fleet", region: "eu-west-1" } } }, "/etc/mde").config.fleet;
    expect(fleet?.connection).toBeUndefined();
    expect(fleet?.kinesis).toEqual({
      stream: "iot-fleet",
      region: "eu-west-1",
      lease_directory: "/etc/mde/data/fleet-leases",
      lease_seconds: 10,
      idle_ms: 1000,
      checkpoint_ms: 1000,
    });
    const vpc = {
      stream: "s",
      region: "us-east-1",
      endpoint: "https://vpce-1.kinesis.us-east-1.vpce.amazonaws.com",
      lease_directory: "/var/lib/mde/leases",
      owner: "replica-a",
    };
    expect(validateConfig({ ...base, fleet: { source: "kinesis", kinesis: vpc } }).config.fleet?.kinesis).toMatchObject(vpc);
  });

  const k = { stream: "iot-fleet", region: "eu-west-1" };
  it.each([
    [{ source: "kinesis" }, /^fleet\.kinesis: required with fleet\.source: kinesis/],
    [{ source: "kinesis", kinesis: { region: "eu-west-1" } }, /^fleet\.kinesis\.stream: /],
    [{ source: "kinesis", kinesis: { stream: "iot-fleet" } }, /^fleet\.kinesis\.region: /],
    [{ source: "kinesis", kinesis: { ...k, stream: "no spaces" } }, /^fleet\.kinesis\.stream: must be a Kinesis stream name/],
    [{ source: "kinesis", kinesis: { ...k, region: "Ireland" } }, /^fleet\.kinesis\.region: must be an AWS region/],
    [{ source: "kinesis", kinesis: { ...k, endpoint: "localhost:4567" } }, /^fleet\.kinesis\.endpoint: /],
    [{ source: "kinesis", kinesis: { ...k, checkpoint_ms: 5 } }, /^fleet\.kinesis\.checkpoint_ms: /],
    [{ source: "kinesis", kinesis: { ...k, lease_seconds: 0 } }, /^fleet\.kinesis\.lease_seconds: /],
    [{ source: "kinesis", kinesis: { ...k, shards: 2 } }, /^fleet\.kinesis: unknown key 'shards'/],
    [{ source: "kinesis", kinesis: k, connection: "watch" }, /^fleet\.connection: only with fleet\.source: mqtt/],
    [{ source: "kinesis", kinesis: k, trust: "broker_acl" }, /^fleet\.trust: only with fleet\.source: mqtt/],
    [{ connection: "watch", trust: "broker_acl", kinesis: k }, /^fleet\.kinesis: only with fleet\.source: kinesis/],
    [{ trust: "broker_acl" }, /^fleet\.connection: required with fleet\.source: mqtt/],
  ])("source kinesis or mqtt: refuses %j in one line naming the setting", (fleet, message) => {
    expect(() => validateConfig({ ...base, fleet })).toThrow(message);
  });

  it("a fleet-only file watches no connection: valid with fleet, refused in one line naming `connections` without it", () => {
    const journal = base.journal;
    const kinesis = validateConfig({ journal, fleet: { source: "kinesis", kinesis: k } }).config;
    expect(kinesis.connections).toEqual([]);
    expect(kinesis.fleet?.source).toBe("kinesis");
    expect(() => validateConfig({ journal })).toThrow(/^connections: required: at least one connection to watch, or a `fleet` section/);
    expect(() => validateConfig({ journal, connections: [] })).toThrow(/^connections: required/);
    expect(() => validateConfig({ journal, fleet: { connection: "fleet-reader" } })).toThrow(
      /^fleet\.connection: 'fleet-reader' is not a configured connection \(there is none: add it under `connections`\)$/,
    );
  });

  it("refuses the lifecycle observer as the fleet's connection", () => {
    expect(() => validateConfig({ ...base, lifecycle: { observer: "watch", trust: "broker_acl" }, fleet: { connection: "watch" } })).toThrow(
      /^fleet\.connection: must not be lifecycle\.observer/,
    );
  });

  it("asks why AWS's events can be believed when the fleet's connection is not to AWS IoT Core", () => {
    expect(() => validateConfig({ ...base, fleet: { connection: "watch" } })).toThrow(/^fleet\.trust: required: /);
    const aws = { ...base, connections: [{ endpoint: "abc123-ats.iot.eu-west-1.amazonaws.com", client_id: "watch" }] };
    expect(validateConfig({ ...aws, fleet: { connection: "watch" } }).config.fleet?.trust).toBeUndefined();
  });
});
