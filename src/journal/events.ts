/**
 * One journal line: the public, documented JSON Lines format. `ts` is ISO 8601 UTC; an absent
 * `connection` means the default connection. Field names follow the seed's event records.
 */
interface Base {
  ts: string;
  connection?: string;
}

export interface ConnectionSuccessLine extends Base {
  kind: "connection_success";
  /** `connected`, `resumed` or `deep_reconnected` (the seed's values). */
  event_type: string;
  session_present: boolean;
  return_code: number | null;
  attempt_number: number;
  keep_alive_seconds?: number | null;
}

export interface ConnectionDropLine extends Base {
  kind: "connection_drop";
  error_name: string | null;
  error_message: string | null;
  error_code: number | null;
  reconnect_attempt: number;
  active_subscriptions: number;
  queued_commands: number;
  disconnect_reason_code?: number | null;
}

export interface PublishLine extends Base {
  kind: "publish";
  queued: boolean;
}

export interface ConnectionFailureLine extends Base {
  kind: "connection_failure";
  error_name: string | null;
  error_message?: string | null;
  error_code: number | null;
  connack_reason_code?: number | null;
}

/** A connection attempt began (MQTT5 `attemptingConnect`). */
export interface ConnectionAttemptLine extends Base {
  kind: "connection_attempt";
}

/** The session ended without a drop: the client was stopped, or the process restarted. */
export interface ConnectionStoppedLine extends Base {
  kind: "connection_stopped";
  reason?: string;
}

/** One round trip of the optional probe: `rtt_seconds` null means it timed out. */
export interface ProbeLine extends Base {
  kind: "probe";
  rtt_seconds: number | null;
}

export type JournalEvent =
  | ConnectionSuccessLine
  | ConnectionDropLine
  | PublishLine
  | ConnectionFailureLine
  | ConnectionAttemptLine
  | ConnectionStoppedLine
  | ProbeLine;

export type JournalKind = JournalEvent["kind"];

export const DEFAULT_CONNECTION = "default";
