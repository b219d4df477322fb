import type { LoggerLike } from "../collector/logger.js";
import type { JournalEvent } from "../journal/events.js";
import { serializeJournalEvent } from "../journal/format.js";
import { connectionOf, readJournalBatches } from "../journal/reader.js";
import type { ShipState } from "./ship-state.js";

/** Journal kinds a device ships: its own events, never AWS's lifecycle events nor checkpoints. */
export function shippable(event: JournalEvent): boolean {
  return event.kind !== "lifecycle";
}

/**
 * Follows the journal's order of events and says, for each, its rank among the events of the
 * same `ts` (1 for the first): with the `ts`, where an event is in the journal.
 */
export class RankCounter {
  constructor(
    private ts: string | null,
    private rank: number,
  ) {}

  next(ts: string): number {
    if (ts === this.ts) return ++this.rank;
    this.ts = ts;
    this.rank = 1;
    return 1;
  }
}

/**
 * The journal's last lines of the connection (serialized), to find which events recorded while
 * the journal was being read had already reached it: the journal's order is the recording order,
 * so those are the longest run at the start of the late events that ends the journal.
 */
export class JournalTail {
  private lines: string[] = [];

  constructor(private readonly max = 4096) {}

  keep(line: string): string {
    this.lines.push(line);
    if (this.lines.length > 2 * this.max) this.lines = this.lines.slice(-this.max);
    return line;
  }

  /** How many of `late`'s first lines are the journal's last ones. */
  overlap(late: readonly string[]): number {
    for (let m = Math.min(late.length, this.lines.length, this.max); m > 0; m--) {
      const from = this.lines.length - m;
      let same = true;
      for (let i = 0; i < m && same; i++) same = this.lines[from + i] === late[i];
      if (same) return m;
    }
    return 0;
  }
}

/** True when an event (ts, rank) comes after the acknowledged cursor. */
export function afterCursor(ts: string, rank: number, state: ShipState): boolean {
  if (state.cursor_ts === null) return true;
  const at = Date.parse(ts);
  const cursor = Date.parse(state.cursor_ts);
  return at > cursor || (at === cursor && rank > state.cursor_rank);
}

/**
 * Calls `push` with each of a connection's shippable journal events after the acknowledged
 * cursor, oldest first: what an offline period or a restart left unshipped. Returns the rank
 * counter positioned after the journal's last event, for the live events that follow.
 */
export async function resumeFromJournal(
  journalPath: string,
  connection: string,
  state: ShipState,
  push: (event: JournalEvent, rank: number) => void,
  logger: LoggerLike,
  tail?: JournalTail,
): Promise<RankCounter> {
  const ranks = new RankCounter(null, 0);
  for await (const batch of readJournalBatches(journalPath, { logger })) {
    for (const entry of batch) {
      if (entry.type !== "event" || connectionOf(entry.event) !== connection || !shippable(entry.event)) continue;
      const rank = ranks.next(entry.event.ts);
      if (afterCursor(entry.event.ts, rank, state)) push(entry.event, rank);
      else tail?.keep(serializeJournalEvent(entry.event));
    }
  }
  return ranks;
}
