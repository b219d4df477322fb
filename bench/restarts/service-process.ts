/**
 * The measured process of bench:restarts, forked by it: the clients and the layers of
 * BENCH_MODE (see layers.ts), nothing of the bench's own work (the broker, the scraper, reading
 * /metrics for false downs are the parent's). It answers the parent's requests over IPC:
 *  - `publish` (indexes, or every client): one QoS 1 publish each, whether each was acknowledged;
 *  - `drops`: connection drops recorded, summed;
 *  - `measure`: memory once V8 has given back what a GC freed (see `measured`), with where the
 *    resident pages lie (smaps.ts) and V8's spaces;
 *  - `snapshot`: a V8 heap snapshot to a file;
 *  - `stop`: clients stopped, layers closed, exit.
 * Sends `{ ready, address }` once its clients are started. argv: port, dir, mode, connections, max events, render every (ms), render encoding.
 */
import { readFileSync } from "node:fs";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import { loopbackConnections, published, startClients, stopClients } from "./clients.js";
import { startLayers, type Mode } from "./layers.js";
import { memoryRow, type MemoryRow } from "./readings.js";
import { smapsProfile, type SmapsProfile } from "./smaps.js";

export type Request =
  { id: number; op: "publish"; indexes?: number[] } | { id: number; op: "drops" | "measure" | "stop" } | { id: number; op: "snapshot"; file: string };

export interface Measure {
  memory: MemoryRow;
  smaps: SmapsProfile;
  /** V8's spaces: physical size in bytes, by space name. */
  spaces: Record<string, number>;
  /** CPU time (user + system) the process has used since it started, ms: what a memory setting costs. */
  cpuMs: number;
}

const PUBLISH_TIMEOUT_MS = 180_000;
const SETTLE_GC_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const [port, dir, mode, n, maxEvents, renderMs, encoding] = process.argv.slice(2);
const gc = globalThis.gc;
if (gc === undefined || process.send === undefined || dir === undefined) throw new Error("forked by bench:restarts, with --expose-gc");
const send = (m: unknown) => process.send?.(m);

const connections = loopbackConnections(Number(n), "restarts", Number(port));
const layers = await startLayers(mode as Mode, connections, dir, Number(maxEvents));
const clients = startClients(connections, layers.registry);

// Mode `telemetry`: the exposition rendered (and compressed, as asked) as often as the service is scraped.
let paused = false;
let rendering = layers.render !== undefined;
const renderer = (async () => {
  while (rendering) {
    if (!paused) await layers.render?.(encoding ?? "gzip");
    await sleep(Number(renderMs));
  }
})();

/**
 * Right after gc() RSS still holds the freed pages (V8 unmaps them on a background thread and
 * shrinks the heap after a later GC), so memory is read right after the second of two GCs 3 s
 * apart; the clients' own timers make garbage in any wait. In-process renderings pause meanwhile.
 */
async function measure(): Promise<Measure> {
  paused = true;
  gc?.();
  await sleep(SETTLE_GC_MS);
  gc?.();
  const memory = memoryRow(process.memoryUsage());
  const smaps = smapsProfile(readFileSync("/proc/self/smaps", "utf8"), process.execPath);
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size]));
  const cpu = process.cpuUsage();
  paused = false;
  return { memory, smaps, spaces, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}

async function answer(r: Request): Promise<unknown> {
  switch (r.op) {
    case "publish":
      return Promise.all(
        (r.indexes ?? clients.map((_, i) => i)).map((i) =>
          clients[i] ? published(clients[i].client, `bench/${i}`, PUBLISH_TIMEOUT_MS) : Promise.resolve(false),
        ),
      );
    case "drops":
      return layers.registry?.all().reduce((s, c) => s + c.totals.total_connection_drops, 0);
    case "measure":
      return measure();
    case "snapshot":
      return writeHeapSnapshot(r.file);
    case "stop":
      rendering = false;
      await renderer;
      await stopClients(clients);
      await layers.close();
      return true;
  }
}

process.on("message", (r: Request) => {
  void answer(r).then(
    // Native MQTT clients may hold the event loop open after a clean stop: leave once the answer is sent.
    (value) => process.send?.({ id: r.id, value }, () => (r.op === "stop" ? process.exit(0) : undefined)),
    (err: unknown) => send({ id: r.id, error: String(err) }),
  );
});
send({ ready: true, address: layers.address });
