import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_FAULTS, startDemo, type Demo } from "../../src/demo/demo.js";
import { diagnose } from "../../src/diagnosis/engine.js";
import { historyOf } from "../../src/diagnosis/history.js";
import { startService, type RunningService } from "../../src/service/start-service.js";
import { pollUntil } from "../helpers/poll.js";

let demo: Demo | undefined;
let service: RunningService | undefined;
const dir = mkdtempSync(join(tmpdir(), "mde-demo-"));
afterAll(async () => {
  await service?.close();
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the built-in demo", () => {
  it("injects every fault on its cycle and each one is recorded", async () => {
    const logger = pino({ level: "silent" });
    // Faster than the default cycle (3 s keep-alive, 12 s between faults) but with sessions long
    // enough (over 10 s) that a cut does not look like a fight over the client ID.
    demo = await startDemo({ logger, faultIntervalMs: 12_000, keepAliveSeconds: 3, refuseMs: 2000 });
    service = await startService(
      { connections: [demo.connection], journal: { path: join(dir, "journal.jsonl"), max_bytes: 1 << 20, retain_files: 1 }, max_events_retained: 1000 },
      { logger, listen: { host: "127.0.0.1", port: 0 } },
    );
    const collector = service.registry.getOrCreate("demo");
    demo.startFaults(collector);
    // The cycle starting over (a second cut) means every fault before it has run to its end.
    await pollUntil(
      () => (DEMO_FAULTS.every((f) => (demo?.injected[f] ?? 0) >= 1) && (demo?.injected.cut ?? 0) >= 2 && collector.totals.total_connection_drops >= 4 && collector.totals.connection_recovered >= 4 ? true : undefined),
      "a full fault cycle with a drop per fault",
      110_000,
      250,
    );
    const doc = collector.export();
    // Every fault drops the connection; refused reconnects show as a long time to reconnect
    // (aws-crt's MQTT 3.1.1 client reports no connection_failure for automatic reconnects).
    expect(doc.metrics.total_connection_drops).toBeGreaterThanOrEqual(4);
    expect(Math.max(...doc.recent_connections.map((c) => c.time_to_reconnect_seconds ?? 0))).toBeGreaterThanOrEqual(1.5);
    expect(doc.metrics.connection_recovered).toBeGreaterThanOrEqual(4);
    expect(Object.keys(doc.metrics.connection_drops_by_error).length).toBeGreaterThanOrEqual(1);
    // The demo's probe publishes to its own topic through the broker and times the round trip.
    expect(collector.probeCount).toBeGreaterThan(0);
    expect(collector.lastProbeRttSeconds).toBeGreaterThan(0);
    // The scripted faults are diagnosed as what they are: the fight over the client ID, and
    // connections cut by the "network".
    const causes = diagnose(historyOf(collector)).findings.map((f) => f.cause);
    expect(causes, JSON.stringify(collector.getRecentDrops(50).map((d) => [d.timestamp.slice(11, 19), d.error_name, d.duration_connected_seconds]))).toContain("duplicate_client_id");
    expect(causes).toContain("network_unstable");
    const body = await (await fetch(`${service.address}/metrics`)).text();
    expect(body).toMatch(/mqtt_client_connection_drops_total\{connection="demo",error_name="AWS_[A-Z0-9_]+"\} [1-9]/);
  }, 150_000);
});
