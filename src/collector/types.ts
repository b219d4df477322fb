/**
 * The seed's records, field for field (snake_case, because they are the export document's
 * shape and people's scripts read it). Fields after the seed's are additions; no seed field
 * changes name, type or meaning.
 */

export type ConnectionEventType = "connected" | "resumed" | "deep_reconnected";

export interface ConnectionDropEvent {
  timestamp: string;
  error_name: string | null;
  error_message: string | null;
  error_code: number | null;
  reconnect_attempt: number;
  duration_connected_seconds: number | null;
  active_subscriptions: number;
  queued_commands: number;
  /** Added: the MQTT 5 reason code of the server's DISCONNECT packet, when one came. */
  disconnect_reason_code: number | null;
}

export interface ConnectionEvent {
  timestamp: string;
  event_type: string;
  session_present: boolean;
  return_code: number | null;
  attempt_number: number;
  time_to_reconnect_seconds: number | null;
  /** Added: the keep-alive the server granted, in seconds. */
  keep_alive_seconds: number | null;
}

/** Added: a connection attempt that did not succeed. */
export interface ConnectionFailureEvent {
  timestamp: string;
  error_name: string | null;
  error_message: string | null;
  error_code: number | null;
  connack_reason_code: number | null;
}

export interface MqttMetrics {
  total_connections: number;
  total_disconnects: number;
  total_connection_drops: number;
  total_reconnect_attempts: number;
  longest_session_seconds: number;
  /** Infinity until the first session ends; exported as null then, like the seed. */
  shortest_session_seconds: number;
  average_session_seconds: number;
  current_session_uptime_seconds: number;
  connection_drops_by_error: Record<string, number>;
  reconnection_attempts_distribution: Record<string, number>;
  last_drop_timestamp: string | null;
  last_successful_connect_timestamp: string | null;
  connection_recovered: number;
  messages_published: number;
  messages_queued: number;
}

/** `MqttMetrics` as exported: `shortest_session_seconds` is null when no session has ended. */
export type ExportedMetrics = Omit<MqttMetrics, "shortest_session_seconds"> & {
  shortest_session_seconds: number | null;
};

/** The seed's `export_json()` document, plus top-level additions (allowed by the contract). */
export interface ExportDocument {
  timestamp: string;
  metrics: ExportedMetrics;
  recent_drops: ConnectionDropEvent[];
  recent_connections: ConnectionEvent[];
  aws_error_counts: Record<string, number>;
  session_history_summary: {
    total_sessions: number;
    sample_durations: number[];
  };
  // Additions beyond the seed:
  connection: string;
  connected: boolean;
  negotiated_keep_alive_seconds: number | null;
  connection_attempts: number;
  connection_failures: {
    total: number;
    by_error: Record<string, number>;
    recent: ConnectionFailureEvent[];
  };
  server_disconnects_by_reason: Record<string, number>;
  [extra: string]: unknown;
}
