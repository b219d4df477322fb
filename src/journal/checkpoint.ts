import { z } from "zod";
import type { CollectorSnapshot } from "../collector/collector.js";

/**
 * A `checkpoint` line's shape, checked before `restoreSnapshot` trusts it: a hand-edited or
 * damaged checkpoint must be skipped with a warning like any corrupt line, not crash a restore.
 * Rare lines (one per connection per rotation), so a schema's cost does not matter here.
 */
const count = z.number().int().nonnegative();
const seconds = z.number().finite();
const counts = z.record(z.string(), count);
const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a timestamp");

const drop = z.object({
  timestamp: iso,
  error_name: z.string().nullable(),
  error_message: z.string().nullable(),
  error_code: z.number().int().nullable(),
  reconnect_attempt: count,
  duration_connected_seconds: seconds.nullable(),
  active_subscriptions: count,
  queued_commands: count,
  disconnect_reason_code: z.number().int().nullable(),
});

const connection = z.object({
  timestamp: iso,
  event_type: z.string(),
  session_present: z.boolean(),
  return_code: z.number().int().nullable(),
  attempt_number: count,
  time_to_reconnect_seconds: seconds.nullable(),
  keep_alive_seconds: seconds.nullable(),
});

const failure = z.object({
  timestamp: iso,
  error_name: z.string().nullable(),
  error_message: z.string().nullable(),
  error_code: z.number().int().nullable(),
  connack_reason_code: z.number().int().nullable(),
});

const snapshotSchema = z.object({
  metrics: z.object({
    total_connections: count,
    total_disconnects: count,
    total_connection_drops: count,
    total_reconnect_attempts: count,
    longest_session_seconds: seconds,
    shortest_session_seconds: seconds.nullable(),
    average_session_seconds: seconds,
    current_session_uptime_seconds: seconds,
    connection_drops_by_error: counts,
    last_drop_timestamp: iso.nullable(),
    last_successful_connect_timestamp: iso.nullable(),
    connection_recovered: count,
    messages_published: count,
    messages_queued: count,
  }),
  session_start_ms: z.number().finite().nullable(),
  last_drop_ms: z.number().finite().nullable(),
  reconnect_from_ms: z.number().finite().nullable().optional(),
  sessions: z.object({ count, sum: seconds, min: seconds.nullable(), max: seconds, recent: z.array(seconds) }),
  aws_error_counts: counts,
  connections_by_event_type: counts,
  drops_by_label: counts,
  failures_by_label: counts,
  server_disconnects: counts,
  failure_count: count,
  attempt_count: count,
  keep_alive_seconds: seconds.nullable(),
  probes: count,
  probe_timeouts: count,
  last_probe_rtt: seconds.nullable(),
  drops: z.array(drop),
  connections: z.array(connection),
  failures: z.array(failure),
});

/** Written first in every rotated-in file: the collector's state at the rotation. */
export interface CheckpointLine {
  ts: string;
  kind: "checkpoint";
  connection?: string;
  state: CollectorSnapshot;
}

export type CheckpointResult = { ok: true; checkpoint: CheckpointLine } | { ok: false; reason: string };

/** Validates a parsed `checkpoint` line; never throws. */
export function toCheckpoint(value: Record<string, unknown>): CheckpointResult {
  const ts = value["ts"];
  if (typeof ts !== "string" || Number.isNaN(Date.parse(ts))) return { ok: false, reason: "checkpoint: `ts` must be an ISO 8601 timestamp" };
  const name = value["connection"];
  if (name !== undefined && (typeof name !== "string" || name === "")) return { ok: false, reason: "checkpoint: `connection` must be a non-empty string" };
  const state = snapshotSchema.safeParse(value["state"]);
  if (!state.success) {
    const issue = state.error.issues[0];
    return { ok: false, reason: `checkpoint: \`state.${issue?.path.join(".") ?? ""}\` ${issue?.message ?? "is invalid"}` };
  }
  return { ok: true, checkpoint: { ts, kind: "checkpoint", ...(name !== undefined ? { connection: name } : {}), state: state.data } };
}
