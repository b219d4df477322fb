import { snapshotProblem, type CollectorSnapshot } from "../collector/snapshot-schema.js";

/** Written first in every rotated-in file: the collector's state at the rotation. */
export interface CheckpointLine {
  ts: string;
  kind: "checkpoint";
  connection?: string;
  state: CollectorSnapshot;
}

export type CheckpointResult = { ok: true; checkpoint: CheckpointLine } | { ok: false; reason: string };

/**
 * Validates a parsed `checkpoint` line before `restoreSnapshot` trusts it (never throws): a
 * hand-edited or damaged checkpoint must be skipped with a warning like any corrupt line, not
 * crash a restore. The check comes from the core's snapshot schema, with no schema library to load.
 */
export function toCheckpoint(value: Record<string, unknown>): CheckpointResult {
  const ts = value["ts"];
  if (typeof ts !== "string" || Number.isNaN(Date.parse(ts))) return { ok: false, reason: "checkpoint: `ts` must be an ISO 8601 timestamp" };
  const name = value["connection"];
  if (name !== undefined && (typeof name !== "string" || name === "")) return { ok: false, reason: "checkpoint: `connection` must be a non-empty string" };
  const state = value["state"];
  const problem = snapshotProblem(state);
  if (problem !== null) return { ok: false, reason: `checkpoint: ${problem}` };
  return { ok: true, checkpoint: { ts, kind: "checkpoint", ...(name !== undefined ? { connection: name } : {}), state: state as CollectorSnapshot } };
}
