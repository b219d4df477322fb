import { readFile, rename, writeFile } from "node:fs/promises";
import type { LoggerLike } from "../collector/logger.js";

/**
 * What the device keeps beside its journal so shipping survives restarts: the last acknowledged
 * `seq`, where that event is in the journal (its `ts`, and its rank among the events of that same
 * `ts`), and the discard count. Written whole to a temporary file and renamed over the old one.
 */
export interface ShipState {
  acked_seq: number;
  cursor_ts: string | null;
  cursor_rank: number;
  discarded_total: number;
}

export const EMPTY_SHIP_STATE: ShipState = { acked_seq: 0, cursor_ts: null, cursor_rank: 0, discarded_total: 0 };

/** The state file of a journal: `journal.jsonl.evidence.json`. */
export function shipStatePath(journalPath: string): string {
  return `${journalPath}.evidence.json`;
}

const count = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Checks a parsed state file (never throws): the problem, or null. */
export function shipStateProblem(v: unknown): string | null {
  if (typeof v !== "object" || v === null) return "not a JSON object";
  const s = v as Record<string, unknown>;
  if (!count(s["acked_seq"])) return "`acked_seq` must be a non-negative integer";
  if (!count(s["cursor_rank"])) return "`cursor_rank` must be a non-negative integer";
  if (!count(s["discarded_total"])) return "`discarded_total` must be a non-negative integer";
  const ts = s["cursor_ts"];
  if (ts !== null && (typeof ts !== "string" || Number.isNaN(Date.parse(ts)))) return "`cursor_ts` must be null or an ISO 8601 timestamp";
  return null;
}

/** The saved state; a missing file is a first start, a damaged one is warned about and ignored. */
export async function loadShipState(path: string, logger: LoggerLike = console): Promise<ShipState> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return { ...EMPTY_SHIP_STATE };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const problem = shipStateProblem(value);
  if (problem === null) return value as ShipState;
  logger.warn({ path, problem }, "evidence shipping state unreadable: shipping restarts from the start of the journal");
  return { ...EMPTY_SHIP_STATE };
}

/** Writes the state atomically (temporary file, then rename). */
export async function saveShipState(path: string, state: ShipState): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}
