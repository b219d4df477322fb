/**
 * What a memory setting costs a scrape, without clients or a broker: N collectors (1,000) under
 * the service's telemetry, then R rounds (20) in which every connection records a drop and a
 * reconnection (as after a broker restart) and the exposition is rendered and gzipped, as a
 * Prometheus scrape after a restart asks for it. Prints each round's time (ms), their median and
 * the CPU time used, RSS and (after two GCs, with --expose-gc) malloc's main arena, as one JSON line. Run it under the settings to compare, interleaved, e.g.
 * `node dist/bench/restarts/render-cost.js` and `node --max-semi-space-size=1 dist/bench/restarts/render-cost.js`.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
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
restart();
await telemetry.exposition("gzip");
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
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 1000));
globalThis.gc?.();
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
  })}\n`,
);
