import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect as tcpConnect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../../helpers/cli.js";
import { makeTestPki, type TestPki } from "../../helpers/certs.js";
import { freePort } from "../../helpers/free-port.js";
import { Mosquitto } from "../../helpers/mosquitto.js";
import { pollUntil } from "../../helpers/poll.js";
import { spawnListening } from "../../helpers/spawn-listening.js";

let dir: string;
let pki: TestPki;
let broker: Mosquitto;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mde-serve-"));
  pki = makeTestPki(dir);
  broker = await Mosquitto.start(pki);
}, 60_000);
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}

describe("mqtt-diagnostics serve as a process", () => {
  it("SIGTERM: no drop recorded, journal flushed, exit 0", async () => {
    const journal = join(dir, "sigterm.jsonl");
    const config = writeConfig(
      "sigterm.yml",
      `connections:
  - name: heater-1
    endpoint: 127.0.0.1
    port: ${broker.tlsPort}
    client_id: heater-1-diag
    tls: { cert_file: ${pki.clientCert}, key_file: ${pki.clientKey}, ca_file: ${pki.caCert} }
journal: { path: ${journal} }
`,
    );
    const service = await spawnListening(["--config", config, "--log.level", "warn"]);
    const { child, port, exited } = service;
    await pollUntil(
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return body.includes('mqtt_client_connected{connection="heater-1"} 1') ? true : undefined;
      },
      () => `connected (stderr: ${service.stderr()})`,
      30_000,
    );
    // The 5 s bound is enforced by the command itself (a deadline that exits 1); here: a clean 0.
    child.kill("SIGTERM");
    const code = await exited;
    expect(code).toBe(0);
    const kinds = readFileSync(journal, "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toContain("connection_success");
    expect(kinds).not.toContain("connection_drop");
    expect(kinds.at(-1)).toBe("connection_stopped");
  });

  it.each([
    [
      "keep-alive outside AWS IoT's range",
      "connections:\n  - { endpoint: h, client_id: c, keep_alive_seconds: 5 }\n",
      /connections\[0\]\.keep_alive_seconds: .*30/,
    ],
    ["an unknown key", "connections:\n  - { endpoint: h, client_id: c, keepalive: 60 }\n", /connections\[0\]: unknown key 'keepalive'/],
    [
      "an unreadable key file",
      "connections:\n  - { endpoint: h, client_id: c, tls: { cert_file: /nonexistent.crt, key_file: /nonexistent.key } }\n",
      /connections\[0\]\.tls\.cert_file: cannot read/,
    ],
    ["no connections", "journal: { path: x }\n", /connections: .*(array|required)/i],
    ["not YAML", "connections: [\n", /not valid YAML/],
  ])("invalid settings (%s): one message naming the setting, exit 2, nothing started", (_what, body, message) => {
    const file = writeConfig("bad.yml", body);
    for (const args of [
      ["check-config", file],
      ["--config", file, "--web.listen-address", "127.0.0.1:1"],
    ]) {
      const r = runMain(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it.each([
    [["--web.listen-address", "nope"], /--web\.listen-address/],
    [["--log.level", "loud"], /--log\.level/],
    [["--frobnicate"], /Unknown option '--frobnicate'/],
    [["--otlp.endpoint", "ftp://collector:4318"], /--otlp\.endpoint: 'ftp:\/\/collector:4318' is not an http:\/\/ or https:\/\/ URL/],
    [["--demo.scenario", "meteor"], /--demo\.scenario: 'meteor' must be one of /],
  ])("bad flags %j: exit 2", (args, message) => {
    const r = runMain(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("MQTT_ENDPOINT and friends configure a single connection", () => {
    const r = runMain(["--web.listen-address", "127.0.0.1:1"], { env: { MQTT_ENDPOINT: "127.0.0.1", MQTT_PORT: "eighty" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/MQTT_PORT: 'eighty'/);
  });

  it("reads OTEL_EXPORTER_OTLP_METRICS_ENDPOINT itself (the library does not): a bad one is named, exit 2", () => {
    const r = runMain(["--web.listen-address", "127.0.0.1:1"], { env: { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "ftp://collector:4318" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'ftp:\/\/collector:4318' is not an http:\/\/ or https:\/\/ URL/);
  });
});

describe("SIGTERM with idle sockets open", () => {
  it("exits 0 although a TCP socket and a TLS session sit idle", async () => {
    const webFile = join(dir, "sigterm-web.yml");
    writeFileSync(webFile, `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n`);
    const config = join(dir, "sigterm-idle.yml");
    // The broker is absent: the connection keeps failing, which is beside the point here.
    writeFileSync(
      config,
      `connections:\n  - { name: heater-1, endpoint: 127.0.0.1, port: ${await freePort()}, client_id: heater-1 }\njournal: { path: ${join(dir, "sigterm-idle.jsonl")} }\n`,
    );
    const service = await spawnListening(["--config", config, "--web.config.file", webFile, "--log.level", "warn"]);
    const { child, port, exited } = service;
    const ca = readFileSync(pki.caCert);
    await pollUntil(
      () =>
        new Promise<true | undefined>((resolve) => {
          const s = tlsConnect({ port, host: "127.0.0.1", ca }, () => {
            s.destroy();
            resolve(true);
          });
          s.on("error", () => resolve(undefined));
        }),
      () => `listening (stderr: ${service.stderr()})`,
    );
    const idle = [tcpConnect(port, "127.0.0.1"), tlsConnect({ port, host: "127.0.0.1", ca })];
    for (const s of idle) s.on("error", () => undefined);
    await new Promise<void>((r) => (idle[1] as Socket).once("secureConnect", () => r()));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const s of idle) s.destroy();
  }, 30_000);
});
