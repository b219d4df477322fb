import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Config, ConnectionConfig } from "../../../src/config/schema.js";
import { startService, type RunningService } from "../../../src/service/start-service.js";
import { hangup } from "../../helpers/app.js";
import { startEmulator } from "../../helpers/emulator.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { pollUntil } from "../../helpers/poll.js";
import { testConnection } from "../../helpers/service.js";

const m = mosquittoSuite("start-service");

const config = (journal: string, connections: ConnectionConfig[], extra: Partial<Config> = {}): Config => ({
  connections,
  journal: { path: join(m.dir, journal), max_bytes: 1 << 20, retain_files: 2 },
  max_events_retained: 100,
  ...extra,
});

async function start(c: Config, startClients = true): Promise<RunningService> {
  const s = await startService(c, { logger: pino({ level: "silent" }), listen: { host: "127.0.0.1", port: 0 }, startClients });
  m.cleanup(() => s.close());
  return s;
}

const journalKinds = (c: Config) =>
  readFileSync(c.journal.path, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { kind: string; reason?: string });

const metric = (body: string, series: string) =>
  body
    .split("\n")
    .find((l) => l.startsWith(`${series} `))
    ?.slice(series.length + 1);

describe("startService", () => {
  it("restores the journal before it listens: the first scrape shows the previous run; a session open then is recorded as stopped by the restart", async () => {
    const c = config("restore.jsonl", [testConnection({ client_id: "heater-1", port: 1 })]);
    const first = await start(c, false);
    const heater = first.registry.getOrCreate("heater-1");
    heater.recordConnectionSuccess();
    heater.recordConnectionDrop({ error: hangup });
    heater.recordConnectionSuccess({ eventType: "resumed" });
    await first.close();

    const second = await start(c, false);
    const body = await (await fetch(`${second.address}/metrics`)).text();
    expect(metric(body, 'mqtt_client_connections_total{connection="heater-1",event_type="resumed"}')).toBe("1");
    expect(metric(body, 'mqtt_client_connection_drops_total{connection="heater-1",error_name="AWS_ERROR_MQTT_UNEXPECTED_HANGUP"}')).toBe("1");
    expect(metric(body, 'mqtt_client_connected{connection="heater-1"}')).toBe("0");
    const ready = (await (await fetch(`${second.address}/readyz`)).json()) as { status: string; checks: Record<string, string> };
    expect(ready.status).toBe("ready");
    expect(ready.checks["journal"]).toMatch(/^restored \d+ lines? from 1 file$/);
    expect(ready.checks["listeners"]).toBe("attached to 0 connections");
    await second.journal.flush();
    expect(journalKinds(c).at(-1)).toMatchObject({ kind: "connection_stopped", reason: "process_restart" });
  });

  // issue 21: the first scrape after a restart rendered every connection while Prometheus waited.
  it("renders /metrics in the background once it listens, before any scrape", async () => {
    const c = config("warm.jsonl", [testConnection({ client_id: "warm-1", port: 1 }), testConnection({ client_id: "warm-2", port: 1 })]);
    const s = await start(c, false);
    await pollUntil(() => (s.telemetry.connectionRenders >= 2 ? true : undefined), "both connections rendered without a scrape");
    const body = await (await fetch(`${s.address}/metrics`)).text();
    expect(metric(body, 'mqtt_client_connected{connection="warm-2"}')).toBe("0");
  });

  it("close() stops the clients (a stop, not a drop), flushes the journal and closes the server, once however often it is called", async () => {
    const c = config("close.jsonl", [testConnection({ client_id: "close-1", port: m.broker.plainPort })]);
    const s = await start(c);
    await pollUntil(() => (s.registry.get("close-1")?.isConnected ? true : undefined), "connected", 20_000);
    const closing = s.close();
    expect(s.close()).toBe(closing);
    await closing;
    const kinds = journalKinds(c).map((l) => l.kind);
    expect(kinds).toContain("connection_success");
    expect(kinds).not.toContain("connection_drop");
    expect(kinds.at(-1)).toBe("connection_stopped");
    await expect(fetch(`${s.address}/healthz`)).rejects.toThrow();
  });

  it("the lifecycle observer subscribes to the other watched client IDs' events: AWS's reason reaches the dropped connection", async () => {
    const e = await startEmulator(m.broker.plainPort, { limits: { connectIntervalMs: 0 } });
    m.cleanup(() => e.close());
    const device = testConnection({ client_id: "observed-1", port: e.port });
    // The observer is on the broker itself, where the emulator publishes AWS's events.
    const observer = testConnection({ client_id: "observer-1", port: m.broker.plainPort, keep_alive_seconds: 30 });
    const s = await start(
      config("observer.jsonl", [device, observer], { lifecycle: { observer: "observer-1", join_window_seconds: 10, trust: "broker_acl" } }),
    );
    const watched = s.registry.get("observed-1");
    // The observer subscribes once connected: until then AWS's events pass unseen, so the device is
    // thrown out again (once it is back) until one arrives.
    await pollUntil(
      () => {
        if ((watched?.serverDisconnectReasons.get("SERVER_INITIATED_DISCONNECT") ?? 0) >= 1) return true;
        if (watched?.isConnected) e.disconnect(device.client_id, "SERVER_INITIATED_DISCONNECT");
        return undefined;
      },
      "AWS's reason for a drop, through the observer",
      30_000,
      500,
    );
    expect(watched?.lifecycleEventsByType.get("disconnected")).toBeGreaterThanOrEqual(1);
    expect(s.registry.get("observer-1")?.serverDisconnectReasons.size).toBe(0);
  });
});
