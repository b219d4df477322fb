/**
 * What the measured process holds besides the clients, layer by layer (BENCH_MODE), to attribute
 * memory: each mode adds one of the service's layers to the one before, as startService wires
 * them; `service` is startService itself (the HTTP server, scraped from another process).
 */
import { join } from "node:path";
import { pino } from "pino";
import { CollectorRegistry } from "../../src/collector/registry.js";
import type { ConnectionConfig } from "../../src/config/schema.js";
import { createDiagnoser, watchDiagnosis } from "../../src/diagnosis/diagnoser.js";
import { JournalWriter } from "../../src/journal/writer.js";
import { inSlices } from "../../src/metrics/slices.js";
import { createTelemetry } from "../../src/metrics/telemetry.js";
import { SERVE_STALE_MS, startService } from "../../src/service/start-service.js";

export const MODES = ["clients", "collectors", "journal", "diagnosis", "telemetry", "service"] as const;
export type Mode = (typeof MODES)[number];

export interface Layers {
  registry: CollectorRegistry | undefined;
  /** `http://host:port` of the service's server (mode `service` only). */
  address: string | undefined;
  /** In-process renderings of the exposition, as a scrape would ask (mode `telemetry`: no HTTP). */
  render: ((encoding: string) => Promise<void>) | undefined;
  close(): Promise<void>;
}

const journalOf = (dir: string) => ({ path: join(dir, "journal.jsonl"), max_bytes: 1 << 26, retain_files: 1 });

/** The layers of `mode` over `connections`, writing under `dir`; clients are the caller's (startClients). */
export async function startLayers(mode: Mode, connections: ConnectionConfig[], dir: string, maxEvents: number): Promise<Layers> {
  const logger = pino({ level: "silent" });
  if (mode === "clients") return { registry: undefined, address: undefined, render: undefined, close: () => Promise.resolve() };
  if (mode === "service") {
    const service = await startService(
      { connections, journal: journalOf(dir), max_events_retained: maxEvents },
      { logger, listen: { host: "127.0.0.1", port: 0 }, startClients: false },
    );
    return { registry: service.registry, address: service.address, render: undefined, close: () => service.close() };
  }
  const registry = new CollectorRegistry({ maxEventsRetained: maxEvents, logger });
  for (const c of connections) registry.getOrCreate(c.name ?? c.client_id);
  const closers: (() => Promise<void> | void)[] = [];
  const at = MODES.indexOf(mode);
  if (at >= MODES.indexOf("journal")) {
    const j = journalOf(dir);
    const journal = new JournalWriter({ path: j.path, maxBytes: j.max_bytes, retainFiles: j.retain_files, logger });
    journal.attach(registry);
    closers.push(() => journal.close());
  }
  const diagnoser = at >= MODES.indexOf("diagnosis") ? createDiagnoser(registry) : undefined;
  if (diagnoser !== undefined)
    closers.push(
      watchDiagnosis(
        registry,
        diagnoser,
        () => undefined,
        undefined,
        (items, visit) => inSlices(items, visit),
      ),
    );
  let render: Layers["render"];
  if (at >= MODES.indexOf("telemetry")) {
    const telemetry = createTelemetry({
      registry,
      diagnosisSource: (name) => diagnoser?.(name)?.findings ?? [],
      maxConnections: connections.length,
      serveStaleMs: SERVE_STALE_MS,
    });
    render = async (encoding) => void (await telemetry.exposition(encoding));
    closers.push(() => telemetry.shutdown());
  }
  return {
    registry,
    address: undefined,
    render,
    async close() {
      for (const c of closers.reverse()) await c();
    },
  };
}
