import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pino } from "pino";
import { startService } from "../../src/service/start-service.js";
import { loopbackConnections } from "../restarts/clients.js";
import { firstScrape } from "./child.js";
import { quantile, since } from "./machine.js";

export interface BigRenderFigures {
  firstScrapeMs: number;
  exposition: { bytes: number; samples: number; failed?: string };
  /** /healthz sent every 10 ms while the first scrape rendered: the latencies, and how many. */
  healthzP50Ms: number;
  healthzMaxMs: number;
  healthzCount: number;
  /** The service's own event-loop delay (ms) meanwhile: what /healthz waited for on the server's side. */
  loopDelayMaxMs: number;
  statusPageMs: number;
  statusPageBytes: number;
  rssMb: number;
}

/**
 * N connections (collectors only, no clients) each with `names` distinct error names among its
 * drops, served by the service's own pieces: the first /metrics (nothing cached yet), /healthz
 * sent meanwhile (both from another process), then the status page, then RSS.
 */
export async function bigRender(dir: string, n: number, names: number): Promise<BigRenderFigures> {
  // Port 1: nothing listens; the clients are not started, only their collectors are filled.
  const connections = loopbackConnections(n, "big", 1);
  const service = await startService(
    { connections, journal: { path: join(dir, "big.jsonl"), max_bytes: 1 << 28, retain_files: 1 }, max_events_retained: 1000 },
    { logger: pino({ level: "silent" }), listen: { host: "127.0.0.1", port: 0 }, startClients: false },
  );
  for (const c of service.registry.all()) {
    for (let k = 0; k < names; k++) {
      c.recordConnectionSuccess({ eventType: "CONNECTION_SUCCESS" });
      c.recordConnectionDrop({ error: { error_name: `AWS_ERROR_BENCH_${k}`, error_code: 5000 + k, message: "bench" } });
      c.recordConnectionFailure({ error: { error_name: `AWS_ERROR_BENCH_${k}`, error_code: 5000 + k, message: "bench" } });
    }
  }
  await service.journal.flush();
  // The load (the first /metrics and /healthz meanwhile) comes from another process: decoding
  // 17 MB here would weigh on the loop whose responsiveness is measured.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const first = await firstScrape(service.address);
  delay.disable();
  const t1 = performance.now();
  const page = await fetch(`${service.address}/`).then(
    (r) => r.text(),
    (e: Error) => `failed: ${e.message}`,
  );
  const statusPageMs = since(t1);
  const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  await service.close();
  return {
    firstScrapeMs: first.firstScrapeMs,
    exposition: { bytes: first.bytes, samples: first.samples, ...(first.failed !== undefined ? { failed: first.failed } : {}) },
    healthzP50Ms: quantile(first.healthz, 0.5),
    healthzMaxMs: Math.max(...first.healthz),
    healthzCount: first.healthz.length,
    loopDelayMaxMs: delay.max / 1e6,
    statusPageMs,
    statusPageBytes: Buffer.byteLength(page),
    rssMb,
  };
}
