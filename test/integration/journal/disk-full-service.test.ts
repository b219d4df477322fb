import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrokerPublisher } from "../../../src/emulator/broker-publisher.js";
import { disconnectedEvent, lifecycleTopic } from "../../../src/emulator/lifecycle-events.js";
import { makeTestPki } from "../../helpers/certs.js";
import { runMain } from "../../helpers/cli.js";
import { Mosquitto } from "../../helpers/mosquitto.js";
import { pollUntil } from "../../helpers/poll.js";
import { spawnListening } from "../../helpers/spawn-listening.js";
import { SmallDisk } from "../../helpers/tmpfs.js";

// Under the observer's per-client burst (100 events), so that the intake bound drops none of them.
const EVENTS = 90;
let dir: string;
let broker: Mosquitto;
let disk: SmallDisk;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mde-full-serve-"));
  broker = await Mosquitto.start(makeTestPki(dir));
  disk = SmallDisk.mount(256);
}, 60_000);
afterAll(async () => {
  await broker.stop();
  disk.unmount();
  rmSync(dir, { recursive: true, force: true });
});

interface Line {
  kind: string;
  eventType?: string;
  sessionIdentifier?: string;
}

describe("serve with its journal on a disk that fills up", () => {
  it("journals each lifecycle event exactly once, with no torn line, once space is freed; replay counts what was recorded", async () => {
    const journal = join(disk.dir, "journal.jsonl");
    const config = join(dir, "config.yml");
    const conn = (name: string) => `  - { name: ${name}, endpoint: 127.0.0.1, port: ${broker.plainPort}, client_id: ${name}, keep_alive_seconds: 30 }\n`;
    writeFileSync(
      config,
      `connections:\n${conn("observer-1")}${conn("device-1")}lifecycle: { observer: observer-1, trust: broker_acl }\njournal: { path: ${journal} }\n`,
    );
    const service = await spawnListening(["--config", config]);
    const { child, exited } = service;
    const base = `http://127.0.0.1:${service.port}`;
    const publisher = new BrokerPublisher("127.0.0.1", broker.plainPort);
    const received = async () => {
      const doc = (await (await fetch(`${base}/diagnostics.json?connection=device-1`)).json()) as { lifecycle?: { events_by_type: Record<string, number> } };
      return doc.lifecycle?.events_by_type["disconnected"] ?? 0;
    };
    const metric = async (name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? "0");
    let sent = 0;
    const send = () => {
      const n = ++sent;
      const facts = { clientId: "device-1", sessionIdentifier: `session-${n}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: n };
      const event = disconnectedEvent(facts, Date.now(), "SERVER_INITIATED_DISCONNECT");
      publisher.publish(lifecycleTopic(event), JSON.stringify(event));
    };
    try {
      await pollUntil(
        async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined),
        () => `serving (output: ${service.output()})`,
      );
      // The observer's subscription is in place once one event gets through.
      await pollUntil(
        async () => {
          if ((await received()) > 0) return true;
          send();
          return undefined;
        },
        "the observer receiving AWS's events",
        30_000,
        250,
      );
      disk.fill(8 * 1024);
      while (sent < EVENTS) send();
      const recorded = await pollUntil(async () => ((await received()) === sent ? sent : undefined), "every event recorded");
      await pollUntil(async () => ((await metric("mqtt_diagnostics_journal_write_errors_total")) > 0 ? true : undefined), "a write error (the disk is full)");
      disk.free();
      const lifecycleLines = () =>
        readFileSync(journal, "utf8")
          .split("\n")
          .filter((l) => l.includes('"kind":"lifecycle"')).length;
      await pollUntil(() => (lifecycleLines() >= recorded ? true : undefined), "the journal catching up once space is freed");
    } finally {
      await publisher.close();
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);

    const text = readFileSync(journal, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text
      .slice(0, -1)
      .split("\n")
      .map((l) => JSON.parse(l) as Line);
    const sessions = lines.filter((l) => l.kind === "lifecycle" && l.eventType === "disconnected").map((l) => l.sessionIdentifier);
    expect(sessions).toHaveLength(sent);
    expect(new Set(sessions).size).toBe(sent);
    const replay = runMain(["replay", journal, "--connection", "device-1"]);
    expect(replay.code).toBe(0);
    expect((JSON.parse(replay.stdout) as { lifecycle: { events_by_type: Record<string, number> } }).lifecycle.events_by_type["disconnected"]).toBe(sent);
  }, 120_000);
});
