import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "mde-fleet-command-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const connections = `connections:\n  - endpoint: 127.0.0.1\n    client_id: fleet-reader\njournal:\n  path: ${dir}/journal.jsonl\n`;

describe("mqtt-diagnostics fleet: what it refuses before starting anything", () => {
  it.each([
    [[], "mqtt-diagnostics fleet: --config: required (a configuration file with a `fleet` section)\n"],
    [["--config", "/nonexistent/c.yml"], /^mqtt-diagnostics fleet: --config: cannot read '\/nonexistent\/c\.yml'/],
    [["--config", config("nofleet.yml", connections)], /^mqtt-diagnostics fleet: fleet: '.*nofleet\.yml' has no `fleet` section/],
    [
      ["--config", config("bad.yml", `${connections}fleet:\n  connection: nobody\n`)],
      /^mqtt-diagnostics fleet: fleet\.connection: 'nobody' is not a configured connection/,
    ],
    [
      ["--config", config("ok.yml", `${connections}fleet:\n  connection: fleet-reader\n`), "--log.level", "loud"],
      /^mqtt-diagnostics fleet: --log\.level: 'loud' must be one of fatal/,
    ],
    [
      ["--config", config("ok2.yml", `${connections}fleet:\n  connection: fleet-reader\n`), "--web.listen-address", "nope"],
      /^mqtt-diagnostics fleet: --web\.listen-address: /,
    ],
    [
      ["--config", config("kinesis.yml", `${connections}fleet:\n  source: kinesis\n  kinesis: { region: eu-west-1 }\n`)],
      /^mqtt-diagnostics fleet: fleet\.kinesis\.stream: /,
    ],
    [
      [
        "--config",
        config("kinesis-mqtt.yml", `${connections}fleet:\n  source: kinesis\n  connection: fleet-reader\n  kinesis: { stream: s, region: eu-west-1 }\n`),
      ],
      /^mqtt-diagnostics fleet: fleet\.connection: only with fleet\.source: mqtt/,
    ],
    // Nothing listens on port 9 of loopback: the stream cannot be read, so the fleet does not start.
    [
      [
        "--config",
        config(
          "kinesis-down.yml",
          `${connections}fleet:\n  source: kinesis\n  kinesis: { stream: iot-fleet, region: eu-west-1, endpoint: "http://127.0.0.1:9", lease_directory: ${dir}/leases }\n`,
        ),
        "--web.listen-address",
        "127.0.0.1:0",
      ],
      /^mqtt-diagnostics fleet: fleet\.kinesis\.stream: cannot read 'iot-fleet' \(eu-west-1\): /,
    ],
  ] as const)("%j: one line, exit 2", (args, stderr) => {
    const r = runMain(["fleet", ...args], {
      env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")).toHaveLength(2);
    if (typeof stderr === "string") expect(r.stderr).toBe(stderr);
    else expect(r.stderr).toMatch(stderr);
  });
});
