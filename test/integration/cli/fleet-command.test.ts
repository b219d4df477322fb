import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BrokerPublisher } from "../../../src/emulator/broker-publisher.js";
import { MAIN } from "../../helpers/cli.js";
import { freePort } from "../../helpers/free-port.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { pollUntil } from "../../helpers/poll.js";

const m = mosquittoSuite("fleet-command");

describe("mqtt-diagnostics fleet as a process", () => {
  it("subscribes on fleet.connection, diagnoses the devices AWS reports, and exits 0 on SIGTERM", async () => {
    const config = join(m.dir, "fleet.yml");
    writeFileSync(
      config,
      `connections:
  - { name: fleet-reader, endpoint: 127.0.0.1, port: ${m.broker.plainPort}, client_id: fleet-reader, keep_alive_seconds: 30 }
journal: { path: ${join(m.dir, "fleet.jsonl")} }
fleet: { connection: fleet-reader, join_window_seconds: 1, trust: broker_acl }
`,
    );
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN, "fleet", "--config", config, "--web.listen-address", `127.0.0.1:${port}`, "--log.level", "warn"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    m.cleanup(() => void child.kill("SIGKILL"));
    const publisher = new BrokerPublisher("127.0.0.1", m.broker.plainPort);
    m.cleanup(() => publisher.close());
    const facts = { clientId: "heater-9", principalIdentifier: "p", ipAddress: "198.51.100.9" };
    const list = async (query: string) => {
      const r = await fetch(`http://127.0.0.1:${port}/fleet/devices${query}`).catch(() => undefined);
      return r?.ok === true ? ((await r.json()) as { devices: { client_id: string }[] }) : undefined;
    };
    let n = 0;
    // A refused connect, published until the subscriber (connected and subscribed by then) has one;
    // then, with nothing new, the device is diagnosed once its events have settled.
    await pollUntil(async () => {
      n++;
      publisher.publish("$aws/events/presence/connect_failed/heater-9", JSON.stringify({ ...facts, timestamp: 1_780_000_000_000 + n, eventType: "connect_failed", connectFailureReason: "AUTHORIZATION_FAILED", sessionIdentifier: `s${n}` }));
      return (await list(""))?.devices.length === 1 ? true : undefined;
    }, "heater-9 received", 60_000, 500).catch((err: Error) => {
      throw new Error(`${err.message} (stderr: ${stderr})`);
    });
    const page = await pollUntil(async () => {
      const body = await list("?cause=auth_or_policy");
      return body !== undefined && body.devices.length > 0 ? body : undefined;
    }, "heater-9 diagnosed");
    expect(page.devices.map((d) => d.client_id)).toEqual(["heater-9"]);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 120_000);
});
