import type { Clock } from "../clock.js";
import type { LoggerLike } from "./logger.js";

/**
 * What a collector is built with and what the recorder's methods take: the SDK's words (camelCase,
 * optional), turned into the journal's fields (snake_case, defaulted) when recorded.
 */

export interface CollectorOptions {
  /** The `connection` label value. */
  connection?: string;
  clock?: Clock;
  /** How many drop, connection and failure records are kept (the original's default: 1000). */
  maxEventsRetained?: number;
  enableVerboseLogging?: boolean;
  logger?: LoggerLike;
  /** How far apart (ms) a drop and AWS's lifecycle event about it may be and still be joined (default 10 s). */
  lifecycleJoinWindowMs?: number;
}

export interface DropInput {
  /** Whatever the SDK reported: a `CrtError`, another error, or nothing. */
  error?: unknown;
  reconnectAttempt?: number;
  activeSubscriptions?: number;
  queuedCommands?: number;
  disconnectReasonCode?: number | null;
}

export interface SuccessInput {
  eventType?: string;
  sessionPresent?: boolean;
  returnCode?: number | null;
  attemptNumber?: number;
  keepAliveSeconds?: number | null;
  /** How the connection reached the broker (`mtls`, `mtls_alpn`, `websocket_sigv4`, `custom_auth`, `tcp`). */
  transport?: string | undefined;
  /** The client ID the connection uses (journaled so its lifecycle events can be matched). */
  clientId?: string | null | undefined;
}

export interface FailureInput {
  error?: unknown;
  connackReasonCode?: number | null;
}
