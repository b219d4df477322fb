/**
 * Recording one event by CPU time, one side per process: for before/after comparisons on a
 * loaded machine, where wall time measures the queue for the CPU rather than the code.
 * `node dist/bench/metrics/record-cpu.js ours|prom CONNECTIONS [PAIRS]` drives the loop of
 * record-cost.ts (a success then a drop per connection in turn, on a manual clock) after 20,000
 * warm-up pairs and prints `process.cpuUsage()` over the loop divided by the events. Run the
 * two sides and the two builds alternately and compare medians.
 */
import { pathToFileURL } from "node:url";
import { ManualClock } from "../../src/clock.js";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { createTelemetry } from "../../src/metrics/telemetry.js";
import { promClientApp } from "./prom-client-app.js";

const silent = { warn: () => undefined, error: () => undefined };
const err = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" };

/** One side's loop: `run(pairs)` records `pairs` successes and as many drops, on its own manual clock. */
export interface RecordingLoop {
  run: (pairs: number) => void;
  shutdown: () => Promise<void>;
}

export function recordingLoop(side: "ours" | "prom", connections: number): RecordingLoop {
  const names = Array.from({ length: connections }, (_, i) => `device-${i}`);
  const clock = new ManualClock(1_700_000_000_000);
  if (side === "prom") {
    const prom = promClientApp(names, () => clock.now());
    let j = 0;
    const run = (pairs: number) => {
      for (let n = 0; n < pairs; n++, j++) {
        clock.advance(1000);
        prom.success(j, clock.now());
        clock.advance(300_000);
        prom.drop(j, clock.now(), err.error_name);
      }
    };
    return { run, shutdown: () => Promise.resolve() };
  }
  const registry = new CollectorRegistry({ clock, logger: silent, maxEventsRetained: 100 });
  const telemetry = createTelemetry({ registry, maxConnections: connections });
  const collectors = names.map((n) => registry.getOrCreate(n));
  let i = 0;
  const run = (pairs: number) => {
    for (let n = 0; n < pairs; n++, i++) {
      const c = collectors[i % connections];
      clock.advance(1000);
      c?.recordConnectionSuccess({ eventType: "resumed" });
      clock.advance(300_000);
      c?.recordConnectionDrop({ error: err });
    }
  };
  return { run, shutdown: () => telemetry.shutdown() };
}

/** CPU nanoseconds per event over `pairs` pairs, after a warm-up. */
export function cpuNsPerEvent(run: (pairs: number) => void, pairs: number): number {
  run(20_000);
  const start = process.cpuUsage();
  run(pairs);
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / (2 * pairs);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [side, connections = "1", pairs = "40000"] = process.argv.slice(2);
  if (side !== "ours" && side !== "prom") {
    process.stderr.write("usage: record-cpu.js ours|prom CONNECTIONS [PAIRS]\n");
    process.exit(2);
  }
  const ns = cpuNsPerEvent(recordingLoop(side, Number(connections)).run, Number(pairs));
  process.stdout.write(`${side} ${connections} ${ns.toFixed(0)} ns/event (CPU)\n`);
  process.exit(0);
}
