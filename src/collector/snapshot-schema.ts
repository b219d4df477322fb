import { type RecordOf, recordSpec } from "./event-model.js";
import { findProblem, type Infer } from "./schema.js";

const count = { type: "count" } as const;
const seconds = { type: "number" } as const;
const maybeSeconds = { type: "number", nullable: true } as const;
const maybeIso = { type: "iso", nullable: true } as const;
const counts = { type: "counts" } as const;

/**
 * The original module's `MqttMetrics`, as a checkpoint stores it (without the attempt
 * distribution, which is derived from the retained drops). `MqttMetrics` is derived from it.
 */
export const METRICS_SPEC = {
  type: "object",
  fields: {
    total_connections: count,
    total_disconnects: count,
    total_connection_drops: count,
    total_reconnect_attempts: count,
    longest_session_seconds: seconds,
    /** Null (Infinity in the collector) until the first session ends, like the original. */
    shortest_session_seconds: maybeSeconds,
    average_session_seconds: seconds,
    current_session_uptime_seconds: seconds,
    connection_drops_by_error: counts,
    last_drop_timestamp: maybeIso,
    last_successful_connect_timestamp: maybeIso,
    connection_recovered: count,
    messages_published: count,
    messages_queued: count,
  },
} as const;

/**
 * Everything a collector knows, as plain JSON: the `state` of a `checkpoint` line, written at
 * journal rotation. The format is kept as older versions wrote it (so their checkpoints read,
 * and ours read in them): `metrics` repeats figures the collector now derives.
 */
const SNAPSHOT_SPEC = {
  type: "object",
  fields: {
    metrics: METRICS_SPEC,
    session_start_ms: maybeSeconds,
    last_drop_ms: maybeSeconds,
    /** The drop the next success measures its time to reconnect from; absent in older checkpoints. */
    reconnect_from_ms: { type: "number", nullable: true, optional: true },
    sessions: {
      type: "object",
      fields: { count, sum: seconds, min: maybeSeconds, max: seconds, recent: { type: "list", of: seconds } },
    },
    aws_error_counts: counts,
    connections_by_event_type: counts,
    drops_by_label: counts,
    failures_by_label: counts,
    server_disconnects: counts,
    failure_count: count,
    attempt_count: count,
    keep_alive_seconds: maybeSeconds,
    probes: count,
    probe_timeouts: count,
    last_probe_rtt: maybeSeconds,
    drops: { type: "list", of: recordSpec("connection_drop") },
    connections: { type: "list", of: recordSpec("connection_success") },
    failures: { type: "list", of: recordSpec("connection_failure") },
    /**
     * Added (issue 13): AWS's lifecycle events and their counts, so a restore from a checkpoint
     * joins the same drops and continues the counters; absent in older checkpoints. The events
     * are checked per event type when read back (src/aws-join/events.ts).
     */
    lifecycle: {
      type: "object",
      optional: true,
      fields: {
        client_id: { type: "name", nullable: true },
        transport: { type: "name" },
        events_by_type: counts,
        disconnect_reasons: counts,
        foreign_sessions: count,
        events: { type: "list", of: { type: "object", fields: {} } },
      },
    },
  },
} as const;

type RecordLists = "drops" | "connections" | "failures";
interface Lists {
  drops: RecordOf<"connection_drop">[];
  connections: RecordOf<"connection_success">[];
  failures: RecordOf<"connection_failure">[];
}

/** A checkpoint's `state` (the records' schema comes from the event table at run time). */
export type CollectorSnapshot = Omit<Infer<typeof SNAPSHOT_SPEC>, RecordLists> & Lists;

/** Checks a checkpoint's `state`; returns a one-line problem (`state.path message`) or null. */
export function snapshotProblem(value: unknown): string | null {
  const p = findProblem(SNAPSHOT_SPEC, value);
  return p === null ? null : `\`state${p.path === "" ? "" : `.${p.path}`}\` ${p.message}`;
}
