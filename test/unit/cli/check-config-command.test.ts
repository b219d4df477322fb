import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "mde-check-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, body: string) => {
  writeFileSync(join(dir, name), body);
  return join(dir, name);
};

describe("mqtt-diagnostics check-config", () => {
  it("a valid file: its name and the connection count on stdout, exit 0", () => {
    const r = runMain(["check-config", file("two.yml", "connections:\n  - { endpoint: h, client_id: a }\n  - { endpoint: h, client_id: b }\n")]);
    expect(r.stdout).toMatch(/two\.yml: valid \(2 connections\)\n$/);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("a fleet-only file (no watched connection) is valid and says which source it reads; neither connections nor fleet: one line, exit 2", () => {
    const fleetOnly = file("fleet-only.yml", "fleet:\n  source: kinesis\n  kinesis: { stream: iot-fleet, region: eu-west-1 }\n");
    const ok = runMain(["check-config", fleetOnly]);
    expect(ok.stdout).toMatch(/fleet-only\.yml: valid \(0 connections, fleet mode on Kinesis stream 'iot-fleet'\)\n$/);
    expect(ok.code).toBe(0);
    // serve has nothing to watch in it: one line pointing at `fleet`, exit 2, nothing started.
    const serve = runMain(["--config", fleetOnly, "--web.listen-address", "127.0.0.1:1"]);
    expect(serve.code).toBe(2);
    expect(serve.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/connections: '.*fleet-only\.yml' watches no connection, only a fleet: run `mqtt-diagnostics fleet --config /),
    ]);
    const neither = file("neither.yml", "journal: { path: data/j.jsonl }\n");
    for (const args of [
      ["check-config", neither],
      ["fleet", "--config", neither, "--web.listen-address", "127.0.0.1:1"],
    ]) {
      const r = runMain(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/connections: required: at least one connection to watch, or a `fleet` section/)]);
    }
    const mqttWithout = runMain(["check-config", file("fleet-mqtt-none.yml", "fleet: { connection: reader }\n")]);
    expect(mqttWithout.code).toBe(2);
    expect(mqttWithout.stderr.trim()).toMatch(/^.*fleet\.connection: 'reader' is not a configured connection \(there is none: add it under `connections`\)$/);
  });

  it("warnings go to stderr, one line each, and the file stays valid", () => {
    const r = runMain(["check-config", file("risky.yml", "connections:\n  - { endpoint: h, client_id: a, keep_alive_seconds: 600 }\n")]);
    expect(r.stderr).toMatch(/^warning: connections\[0\]\.keep_alive_seconds: 600 s is above 300 s/);
    expect(r.code).toBe(0);
  });

  it("check-config accepts a valid file and warns about risky values", () => {
    const ok = file("ok.yml", "connections:\n  - { endpoint: h, client_id: c, keep_alive_seconds: 600, reconnect: { min_delay_ms: 200 } }\n");
    const r = runMain(["check-config", ok]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/keep_alive_seconds: 600 s is above 300 s/);
    expect(r.stderr).toMatch(/min_delay_ms: 200 ms is under 1 s/);
  });

  it("a lifecycle observer on a broker that is not AWS IoT Core, without lifecycle.trust: one line naming the setting, exit 2; with it, valid", () => {
    const body =
      "connections:\n  - { endpoint: localhost, client_id: dev-1 }\n  - { name: watcher, endpoint: localhost, client_id: watcher }\nlifecycle: { observer: watcher }\n";
    const r = runMain(["check-config", file("untrusted.yml", body)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/lifecycle\.trust: required: the observer 'watcher' connects to 'localhost'/);
    expect(runMain(["check-config", file("acl.yml", body.replace("{ observer: watcher }", "{ observer: watcher, trust: broker_acl }"))]).code).toBe(0);
  });

  it("fleet on Kinesis: valid with a stream and a region; without a stream, or without the section, one line naming the setting, exit 2", () => {
    const body = "connections:\n  - { endpoint: h, client_id: a }\nfleet:\n  source: kinesis\n  kinesis: { stream: iot-fleet, region: eu-west-1 }\n";
    expect(runMain(["check-config", file("kinesis.yml", body)]).code).toBe(0);
    for (const [name, text, message] of [
      ["nostream.yml", body.replace("stream: iot-fleet, ", ""), /^fleet\.kinesis\.stream: /],
      ["nosection.yml", body.replace(/ {2}kinesis: .*\n/, ""), /^fleet\.kinesis: required with fleet\.source: kinesis/],
      ["badendpoint.yml", body.replace("region: eu-west-1", "region: eu-west-1, endpoint: 'ftp://x'"), /^fleet\.kinesis\.endpoint: /],
    ] as const) {
      const r = runMain(["check-config", file(name, text)]);
      expect([r.code, r.stderr.trim().split("\n").length]).toEqual([2, 1]);
      expect(r.stderr.replace(/^mqtt-diagnostics check-config: /, "")).toMatch(message);
    }
  });

  it.each([[[]], [["a.yml", "b.yml"]], [["--frobnicate"]]])("wrong arguments %j: one line, exit 2", (args) => {
    const r = runMain(["check-config", ...args]);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^mqtt-diagnostics check-config: /);
    expect(r.code).toBe(2);
  });
});
