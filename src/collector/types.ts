import type { RecordOf } from "./event-model.js";
import type { Flatten, Infer } from "./schema.js";
import type { METRICS_SPEC } from "./snapshot-schema.js";
import type { LifecycleSection, WithServerJoin, WithServerReason } from "../aws-join/export-section.js";

/**
 * The original module's records, field for field (snake_case, because they are the export
 * document's shape and people's scripts read it), derived from the event table. Fields after
 * the original's are additions; none of its fields changes name, type or meaning.
 */

export type ConnectionEventType = "connected" | "resumed" | "deep_reconnected";

export type ConnectionDropEvent = RecordOf<"connection_drop">;
export type ConnectionEvent = RecordOf<"connection_success">;
/** Added: a connection attempt that did not succeed. */
export type ConnectionFailureEvent = RecordOf<"connection_failure">;

/** `MqttMetrics` as exported: `shortest_session_seconds` is null when no session has ended. */
export type ExportedMetrics = Flatten<Infer<typeof METRICS_SPEC> & { reconnection_attempts_distribution: Record<string, number> }>;

/** The original module's `get_metrics()`: `shortest_session_seconds` is Infinity until a session ended. */
export type MqttMetrics = Flatten<Omit<ExportedMetrics, "shortest_session_seconds"> & { shortest_session_seconds: number }>;

/** The original module's `export_json()` document, plus top-level additions (allowed by the contract). */
export interface ExportDocument {
  timestamp: string;
  metrics: ExportedMetrics;
  /** Each with `server_reason` (AWS's `disconnectReason` joined to it, or null; issue 13), `server_outcome` and `server_delay_seconds` (issue 20). */
  recent_drops: WithServerJoin<ConnectionDropEvent>[];
  recent_connections: ConnectionEvent[];
  aws_error_counts: Record<string, number>;
  session_history_summary: {
    total_sessions: number;
    sample_durations: number[];
  };
  // Additions beyond the original module (docs/compatibility.md):
  connection: string;
  connected: boolean;
  negotiated_keep_alive_seconds: number | null;
  connection_attempts: number;
  connection_failures: {
    total: number;
    by_error: Record<string, number>;
    recent: WithServerReason<ConnectionFailureEvent>[];
  };
  server_disconnects_by_reason: Record<string, number>;
  lifecycle: LifecycleSection;
  [extra: string]: unknown;
}
