import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { ManualClock } from "../clock.js";
import { FleetState } from "./fleet-state.js";
import { parseFleetPayload, type FleetRecord } from "./records.js";
import { fleetSummary, type FleetSummary } from "./summary.js";

/** A file fleet-replay cannot use: one line for the user, exit 2. */
export class FleetFileError extends Error {}

export interface FleetReplayResult {
  summary: FleetSummary;
  state: FleetState;
  /** Lines that were neither an AWS lifecycle event nor an evidence message (subscribe events not counted). */
  skipped: number;
  records: number;
}

type Warn = (text: string) => void;

/**
 * Each line's record, in file order. A CloudWatch Logs export prefixes a message with its time,
 * so a line is read from its first `{`; blank lines and AWS's subscribe events are passed over
 * quietly, anything else unreadable is a warning.
 */
async function readRecords(path: string, flag: string, warn: Warn, out: FleetRecord[]): Promise<number> {
  const input = createReadStream(path, { encoding: "utf8" });
  const failed = new Promise<never>((_, reject) =>
    input.once("error", (err: NodeJS.ErrnoException) => reject(new FleetFileError(`${flag}: cannot read '${path}' (${err.code ?? "error"})`))),
  );
  let n = 0;
  let skipped = 0;
  const read = (async () => {
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      n++;
      if (raw.trim() === "") continue;
      const start = raw.indexOf("{");
      const r = start < 0 ? { error: "not JSON" } : parseFleetPayload(raw.slice(start), 0);
      if (!("error" in r)) out.push(r);
      else if (r.ignore !== true) {
        skipped++;
        warn(`${path}:${n}: skipped: ${r.error}`);
      }
    }
  })();
  await Promise.race([read, failed]);
  return skipped;
}

/** AWS's time of an event, or the newest journal time of an evidence message. */
function timeOf(r: FleetRecord): number {
  if (r.kind === "lifecycle") return r.event.timestamp;
  const last = r.message.events[r.message.events.length - 1];
  return last === undefined ? -Infinity : Date.parse(last.line.ts);
}

/**
 * AWS's lifecycle events exported as JSON Lines (and, optionally, the devices' shipped evidence)
 * through the fleet state, as of the newest event a join window later: every event settled.
 * Evidence is applied per device in `seq` order whatever order the file has it in.
 */
export async function replayFleet(options: { file: string; evidence?: string; warn: Warn }): Promise<FleetReplayResult> {
  const records: FleetRecord[] = [];
  let skipped = await readRecords(options.file, "FILE", options.warn, records);
  if (options.evidence !== undefined) skipped += await readRecords(options.evidence, "--evidence", options.warn, records);
  const seqOf = (r: FleetRecord) => (r.kind === "evidence" ? r.message.first_seq : 0);
  records.sort((a, b) => (a.kind === b.kind ? (a.kind === "evidence" ? seqOf(a) - seqOf(b) : timeOf(a) - timeOf(b)) : a.kind === "lifecycle" ? -1 : 1));
  // The newest instant of either side: a file of evidence alone is diagnosed as of its own time.
  const clock = new ManualClock(0);
  const state = new FleetState(clock);
  let newest = 0;
  for (const r of records) {
    newest = Math.max(newest, timeOf(r));
    clock.set(newest);
    state.apply(r);
  }
  clock.set(newest + state.windowMs + 1);
  return { summary: fleetSummary(state), state, skipped, records: records.length };
}
