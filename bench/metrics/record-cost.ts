/**
 * The cost of recording one event, like for like: our collector with the instruments attached
 * against prom-client doing the same counting and timing as its users write it (the handler
 * computes the session's length and the time to reconnect from its own timestamps, then
 * increments and observes), each on its own manual clock (record-cpu.ts); rounds alternate between the two
 * sides (which goes first alternates too) and the figure is the median round.
 */
import { median } from "./harness.js";
import { recordingLoop } from "./record-cpu.js";

export interface RecordCost {
  connections: number;
  oursNs: number;
  promNs: number;
}

export async function recordCost(connections: number, pairsPerRound = 20_000, rounds = 10): Promise<RecordCost> {
  const sides = { ours: recordingLoop("ours", connections), theirs: recordingLoop("prom", connections) };
  const ours = () => sides.ours.run(pairsPerRound);
  const theirs = () => sides.theirs.run(pairsPerRound);
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
  await sides.ours.shutdown();
  return { connections, oursNs: median(a), promNs: median(b) };
}
