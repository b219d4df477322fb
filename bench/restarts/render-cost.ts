/**
 * What a memory setting costs a scrape, without clients or a broker: N collectors (1,000) under
 * the service's telemetry, then R rounds (20) in which every connection records a drop and a
 * reconnection (as after a broker restart) and the exposition is rendered and gzipped, as a
 * Prometheus scrape after a restart asks for it. Prints each round's time (ms), their median and
 * the CPU time used, RSS and (after two GCs, with --expose-gc) malloc's main arena, V8's old
 * space (its size, in 256 KB pages: fragmentation shows as pages growing faster than the heap in use) and the heap in use, before the rounds and after, as one JSON line. Run it under the settings to compare, interleaved, e.g.
 * `node dist/bench/restarts/render-cost.js` and `node --max-semi-space-size=1 dist/bench/restarts/render-cost.js`.
 * With --expose-gc it then measures what a rendering promotes to V8's old generation: over 10 more
 * rounds, the old space in use after the rendering less before it (after a full GC, the events,
 * then a scavenge: what the events left in the young generation is promoted before, not counted).
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { getHeapSpaceStatistics } from "node:v8";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { createTelemetry } from "../../src/metrics/telemetry.js";
import { quantile } from "../storm/machine.js";
import { smapsProfile } from "./smaps.js";

const N = Number(process.env["BENCH_CONNECTIONS"] ?? 1000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 20);

const registry = new CollectorRegistry({ maxEventsRetained: 1000 });
for (let i = 0; i < N; i++) registry.getOrCreate(`c${i}`);
const telemetry = createTelemetry({ registry, cacheMaxAgeMs: 0 });
const restart = () => {
  for (const c of registry.all()) {
    c.recordConnectionDrop({ error: { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "bench" } });
    c.recordConnectionAttempt();
    c.recordConnectionSuccess({ eventType: "CONNECTION_SUCCESS" });
  }
};
/** After two GCs (with --expose-gc): V8's old space and the heap in use, MB. */
async function heapReading() {
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 1000));
  globalThis.gc?.();
  const old = getHeapSpaceStatistics().find((s) => s.space_name === "old_space");
  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  return {
    oldSpaceMb: mb(old?.space_size ?? 0),
    oldSpaceUsedMb: mb(old?.space_used_size ?? 0),
    heapUsedMb: mb(process.memoryUsage().heapUsed),
    // V8's pages are 256 KB each.
    oldSpacePages: Math.round((old?.space_size ?? 0) / 2 ** 18),
  };
}

restart();
await telemetry.exposition("gzip");
const before = await heapReading();
const times: number[] = [];
const cpu0 = process.cpuUsage();
for (let r = 0; r < ROUNDS; r++) {
  restart();
  const t = performance.now();
  await telemetry.exposition("gzip");
  times.push(performance.now() - t);
}
const cpu = process.cpuUsage(cpu0);
// With --expose-gc: after two GCs, what malloc's main arena holds (see smaps.ts).
const after = await heapReading();
const oldUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === "old_space")?.space_used_size ?? 0;
let promoted = 0;
const PROMOTION_ROUNDS = 10;
if (globalThis.gc !== undefined) {
  for (let r = 0; r < PROMOTION_ROUNDS; r++) {
    // A full GC first: no sweeping of the last one's garbage under way while the old space is read.
    globalThis.gc();
    restart();
    globalThis.gc({ type: "minor" });
    const at = oldUsed();
    await telemetry.exposition("gzip");
    promoted += oldUsed() - at;
  }
}
const mallocMainArenaMb = Math.round(smapsProfile(readFileSync("/proc/self/smaps", "utf8"), process.execPath).brk / 2 ** 20);
await telemetry.shutdown();
process.stdout.write(
  `${JSON.stringify({
    flags: process.execArgv.join(" "),
    ...(process.env["GLIBC_TUNABLES"] ? { GLIBC_TUNABLES: process.env["GLIBC_TUNABLES"] } : {}),
    connections: N,
    rounds: ROUNDS,
    medianMs: Math.round(quantile(times, 0.5) * 10) / 10,
    maxMs: Math.round(Math.max(...times) * 10) / 10,
    cpuMsPerRound: Math.round((cpu.user + cpu.system) / 1000 / ROUNDS),
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    mallocMainArenaMb,
    before,
    after,
    promotedMbPerRender: Math.round((promoted / PROMOTION_ROUNDS / 2 ** 20) * 100) / 100,
  })}\n`,
);
