import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultProxy, mqtt5DisconnectPacket } from "../helpers/fault-proxy.js";
import { makeTestPki } from "../helpers/certs.js";
import { Mosquitto } from "../helpers/mosquitto.js";
import { pollUntil } from "../helpers/poll.js";
import { seeded } from "../helpers/journal-builder.js";
import { startTestService, testConnection, type TestService } from "../helpers/service.js";

const FAULTS = Number(process.env["CHAOS_FAULTS"] ?? 200);
let dir: string;
let broker: Mosquitto;
let proxy: FaultProxy;
let s: TestService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mde-chaos-"));
  broker = await Mosquitto.start(makeTestPki(dir));
  proxy = new FaultProxy("127.0.0.1", broker.plainPort);
  await proxy.listen();
}, 60_000);
afterAll(async () => {
  await s?.close();
  await proxy?.close();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// A real collection before each memory reading, so garbage is not mistaken for growth.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const handles = () => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;

describe("chaos: random faults against the real broker while scraping", () => {
  it(`accounts for each of ${FAULTS} injected faults exactly once, with no leaked handles`, async () => {
    s = await startTestService(dir, [
      testConnection({
        client_id: "chaos-1",
        port: proxy.port,
        keep_alive_seconds: 2,
        ping_timeout_ms: 500,
        reconnect: { min_delay_ms: 20, max_delay_ms: 100, jitter: "none" },
      }),
    ]);
    const c = s.registry.getOrCreate("chaos-1");
    await pollUntil(() => (c.isConnected ? true : undefined), "first connection");
    // Warm up the HTTP client's connection pool (two concurrent requests) before counting handles.
    await Promise.all([fetch(`${s.address}/metrics`).then((r) => r.text()), fetch(`${s.address}/diagnostics.json`).then((r) => r.text())]);
    const handlesBefore = handles();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;

    let scraping = true;
    let scrapes = 0;
    let scrapeErrors = 0;
    const scraper = (async () => {
      while (scraping) {
        const [m, d] = await Promise.all([fetch(`${s.address}/metrics`), fetch(`${s.address}/diagnostics.json`)]);
        if (m.status !== 200 || d.status !== 200) scrapeErrors++;
        await m.text();
        await d.json();
        scrapes++;
      }
    })();

    const rnd = seeded(7);
    const injected = { cut: 0, refuse: 0, takeover: 0, blackhole: 0 };
    for (let i = 0; i < FAULTS; i++) {
      const dropsBefore = c.totals.total_connection_drops;
      const r = rnd();
      if (r < 0.5) {
        injected.cut++;
        proxy.cut();
      } else if (r < 0.75) {
        injected.takeover++;
        proxy.injectToClients(mqtt5DisconnectPacket(0x8e));
      } else if (r < 0.97) {
        injected.refuse++;
        proxy.setMode("refuse");
        proxy.cut();
        await pollUntil(() => (c.connectionFailures > 0 && !c.isConnected ? true : undefined), "refused", 10_000, 5);
        proxy.setMode("pass");
      } else {
        injected.blackhole++;
        proxy.setMode("blackhole");
        await pollUntil(() => (c.isConnected ? undefined : true), "ping timeout", 10_000, 10);
        proxy.setMode("pass");
      }
      await pollUntil(
        () => (c.totals.total_connection_drops === dropsBefore + 1 && c.isConnected ? true : undefined),
        `fault ${i} recorded and recovered`,
        15_000,
        5,
      );
    }
    scraping = false;
    await scraper;

    const total = FAULTS;
    expect(c.totals.total_connection_drops).toBe(total);
    expect(c.totals.connection_recovered).toBe(total);
    expect(c.serverDisconnectsByReason.get("session_taken_over") ?? 0).toBe(injected.takeover);
    const journal = await s.journalLines();
    expect(journal.filter((l) => l["kind"] === "connection_drop")).toHaveLength(total);
    expect(journal.filter((l) => l["kind"] === "connection_drop" && l["disconnect_reason_code"] === 0x8e)).toHaveLength(injected.takeover);
    const doc = await s.diagnostics();
    expect(doc.metrics["total_connection_drops"]).toBe(total);
    const body = await s.metrics();
    const dropsInMetrics = [...body.matchAll(/^mqtt_client_connection_drops_total\{connection="chaos-1",error_name="[^"]+"\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    expect(dropsInMetrics).toBe(total);
    expect(scrapeErrors).toBe(0);
    expect(scrapes).toBeGreaterThan(0);
    // Flat: no sockets or timers left behind by hundreds of reconnects.
    expect(handles()).toBeLessThanOrEqual(handlesBefore + 2);
    gc();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 2 ** 20);
  }, 300_000);
});
