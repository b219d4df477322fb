import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { snapshotProblem } from "../../../src/collector/snapshot-schema.js";
import { JournalWriter } from "../../../src/journal/writer.js";
import { replayDocument, replayJournal } from "../../../src/replay/replay.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const quiet = () => ({ warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined });
const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "hang-up" };
const s = (n: number, ip = "198.51.100.1") => ({ clientId: "dev-1", sessionIdentifier: `s-${n}`, principalIdentifier: "p", ipAddress: ip, versionNumber: n });

describe("lifecycle events in the collector, the journal and the export", () => {
  it("a drop gains server_reason live, and the same after a replay of the journal it wrote", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mde-lifecycle-"));
    try {
      const path = join(dir, "journal.jsonl");
      const clock = new ManualClock(T0);
      const registry = new CollectorRegistry({ clock, logger: quiet() });
      const writer = new JournalWriter({ path, logger: quiet() });
      writer.attach(registry);
      const c = registry.getOrCreate("dev-1");
      c.recordConnectionSuccess({ clientId: "dev-1", transport: "websocket" });
      c.recordLifecycleEvent(connectedEvent(s(1), T0 + 40));
      clock.advance(60_000);
      c.recordConnectionDrop({ error: hangup });
      // AWS's event arrives late (and twice): the drop joins it once; the duplicate is not journaled.
      clock.advance(3_000);
      expect(c.recordLifecycleEvent(disconnectedEvent(s(1), T0 + 59_900, "WEBSOCKET_TTL_EXPIRATION"))).toBe(true);
      expect(c.recordLifecycleEvent(disconnectedEvent(s(1), T0 + 59_900, "WEBSOCKET_TTL_EXPIRATION"))).toBe(false);
      clock.advance(30_000);
      c.settleLifecycle();
      const live = c.export();
      expect(live.recent_drops.map((d) => d.server_reason)).toEqual(["WEBSOCKET_TTL_EXPIRATION"]);
      expect(live.lifecycle).toMatchObject({
        client_id: "dev-1",
        transport: "websocket",
        events_by_type: { connected: 1, disconnected: 1 },
        half_open: [],
        foreign_sessions: { total: 0 },
      });
      await writer.close();

      const lines = readFileSync(path, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.filter((l) => l["kind"] === "lifecycle")).toHaveLength(2);
      expect(lines.find((l) => l["kind"] === "connection_success")).toMatchObject({ client_id: "dev-1", transport: "websocket" });
      expect(lines.find((l) => l["disconnectReason"] !== undefined)).toEqual({
        ts: new Date(T0 + 63_000).toISOString(),
        kind: "lifecycle",
        connection: "dev-1",
        clientId: "dev-1",
        timestamp: T0 + 59_900,
        eventType: "disconnected",
        sessionIdentifier: "s-1",
        principalIdentifier: "p",
        clientInitiatedDisconnect: false,
        disconnectReason: "WEBSOCKET_TTL_EXPIRATION",
        versionNumber: 1,
      });

      const replayed = replayDocument(await replayJournal({ journal: path, atMs: clock.now(), logger: quiet() }));
      expect(replayed.recent_drops).toEqual(live.recent_drops);
      expect(replayed.lifecycle).toEqual(live.lifecycle);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a foreign session is counted once its window has passed, with its IP in the export", () => {
    const clock = new ManualClock(T0);
    const c = new CollectorRegistry({ clock, logger: quiet() }).getOrCreate("dev-1");
    c.recordConnectionSuccess({ clientId: "dev-1" });
    clock.advance(30_000);
    c.recordLifecycleEvent(connectedEvent(s(2, "203.0.113.9"), clock.now()));
    c.recordConnectionDrop({ error: hangup });
    c.recordLifecycleEvent(disconnectedEvent(s(1), clock.now(), "DUPLICATE_CLIENTID"));
    c.settleLifecycle();
    expect(c.foreignSessionCount).toBe(0);
    clock.advance(10_001);
    const before = c.version;
    c.settleLifecycle();
    expect(c.version).toBeGreaterThan(before);
    expect(c.foreignSessionCount).toBe(1);
    c.settleLifecycle();
    expect(c.foreignSessionCount).toBe(1);
    const doc = c.export();
    expect(doc.recent_drops[0]?.server_reason).toBe("DUPLICATE_CLIENTID");
    expect(doc.lifecycle.foreign_sessions.recent).toEqual([
      { timestamp: new Date(T0 + 30_000).toISOString(), ip_address: "203.0.113.9", session_identifier: "s-2", principal_identifier: "p" },
    ]);
  });

  it("a checkpoint carries AWS's events and counts: restored, the drops join as before and the counters continue", () => {
    const clock = new ManualClock(T0);
    const registry = new CollectorRegistry({ clock, logger: quiet() });
    const c = registry.getOrCreate("dev-1");
    c.recordConnectionSuccess({ clientId: "dev-1" });
    c.recordLifecycleEvent(connectedEvent(s(1), T0));
    clock.advance(30_000);
    c.recordLifecycleEvent(connectedEvent(s(2, "203.0.113.9"), clock.now()));
    c.recordConnectionDrop({ error: hangup });
    c.recordLifecycleEvent(disconnectedEvent(s(1), clock.now() + 20, "DUPLICATE_CLIENTID"));
    clock.advance(20_000);
    c.settleLifecycle();
    const snap = JSON.parse(JSON.stringify(c.snapshot())) as ReturnType<typeof c.snapshot>;
    expect(snapshotProblem(snap)).toBeNull();
    const restored = new CollectorRegistry({ clock, logger: quiet() }).getOrCreate("dev-1");
    restored.restoreSnapshot(snap);
    restored.settleLifecycle();
    expect(restored.export()).toEqual(c.export());
    expect(restored.foreignSessionCount).toBe(1);
    // A checkpoint from before issue 13 (no `lifecycle`) still restores.
    const { lifecycle: _l, ...older } = snap;
    expect(snapshotProblem(older)).toBeNull();
    const old = new CollectorRegistry({ clock, logger: quiet() }).getOrCreate("dev-1");
    old.restoreSnapshot(older);
    expect(old.export().recent_drops[0]?.server_reason).toBeNull();
  });

  it("older journals still read: a success without client_id/transport is mtls, drops have server_reason null", () => {
    const c = new CollectorRegistry({ clock: new ManualClock(T0), logger: quiet() }).getOrCreate("default");
    c.apply({ ts: "2026-03-01T12:00:00.000Z", kind: "connection_success", event_type: "connected", session_present: false, return_code: 0, attempt_number: 1 });
    c.apply({
      ts: "2026-03-01T12:01:00.000Z",
      kind: "connection_drop",
      error_name: null,
      error_message: null,
      error_code: null,
      reconnect_attempt: 0,
      active_subscriptions: 0,
      queued_commands: 0,
    });
    expect(c.export().lifecycle.transport).toBe("mtls");
    expect(c.export().recent_drops[0]?.server_reason).toBeNull();
  });
});

describe("restarts keep the lifecycle counters", () => {
  it("a journal restore settles foreign sessions as it goes; the service's settle after it counts the rest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mde-lifecycle-restart-"));
    try {
      const path = join(dir, "journal.jsonl");
      const { AwsSide } = await import("../../helpers/lifecycle-builder.js");
      const side = new AwsSide();
      for (let i = 0; i < 6; i++) side.connect().wait(600).foreign(`203.0.113.${i}`).wait(0.05).drop("hangup").wait(5);
      writeFileSync(path, side.connect().wait(60).journal());
      const { restoreJournal } = await import("../../../src/journal/restore.js");
      const registry = new CollectorRegistry({ clock: new ManualClock(side.t), logger: quiet() });
      await restoreJournal(path, registry, { logger: quiet() });
      const c = registry.get("default");
      // All but the newest, whose window had not passed by the journal's last line (it used to be 0 until a new event).
      expect(c?.foreignSessionCount).toBe(5);
      c?.settleLifecycle();
      expect(c?.foreignSessionCount).toBe(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
