/**
 * The cost of recording one event, like for like: our collector with the instruments attached
 * against prom-client doing the same counting and timing as its users write it (the handler
 * computes the session's length and the time to reconnect from its own timestamps, then
 * increments and observes). Both read the same manual clock; rounds alternate between the two
 * sides (which goes first alternates too) and the figure is the median round.
 */
import { ManualClock } from "../../src/collector/clock.js";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { createTelemetry } from "../../src/metrics/telemetry.js";
import { median } from "./harness.js";
import { promClientApp } from "./prom-client-app.js";

const silent = { warn: () => undefined, error: () => undefined };
const err = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" };

export interface RecordCost {
  connections: number;
  oursNs: number;
  promNs: number;
}

export async function recordCost(connections: number, pairsPerRound = 20_000, rounds = 10): Promise<RecordCost> {
  const names = Array.from({ length: connections }, (_, i) => `device-${i}`);
  const clock = new ManualClock(1_700_000_000_000);
  const registry = new CollectorRegistry({ clock, logger: silent, maxEventsRetained: 100 });
  const telemetry = createTelemetry({ registry, maxConnections: connections });
  const collectors = names.map((n) => registry.getOrCreate(n));
  const prom = promClientApp(names, () => clock.now());
  let i = 0;
  const ours = () => {
    for (let n = 0; n < pairsPerRound; n++, i++) {
      const c = collectors[i % connections];
      clock.advance(1000);
      c?.recordConnectionSuccess({ eventType: "resumed" });
      clock.advance(300_000);
      c?.recordConnectionDrop({ error: err });
    }
  };
  let j = 0;
  const theirs = () => {
    for (let n = 0; n < pairsPerRound; n++, j++) {
      clock.advance(1000);
      prom.success(j, clock.now());
      clock.advance(300_000);
      prom.drop(j, clock.now(), err.error_name);
    }
  };
  const timed = (run: () => void) => {
    const t0 = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - t0) / (2 * pairsPerRound);
  };
  // Warm both up, then interleave.
  ours();
  theirs();
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      a.push(timed(ours));
      b.push(timed(theirs));
    } else {
      b.push(timed(theirs));
      a.push(timed(ours));
    }
  }
  await telemetry.shutdown();
  return { connections, oursNs: median(a), promNs: median(b) };
}
