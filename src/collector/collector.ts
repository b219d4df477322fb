import { type Clock, isCanonicalIso, isoTimestamp, systemClock } from "./clock.js";
import { boundName, describeError, errorLabel, truncateMessage } from "./error-info.js";
import type { LoggerLike } from "./logger.js";
import { disconnectReasonName } from "./reason-codes.js";
import { RingBuffer } from "./ring-buffer.js";
import { SessionStats } from "./session-stats.js";
import type {
  ConnectionDropEvent,
  ConnectionEvent,
  ConnectionFailureEvent,
  ExportDocument,
  MqttMetrics,
} from "./types.js";
import { DEFAULT_CONNECTION, type JournalEvent } from "./event-model.js";
import type { CollectorSnapshot } from "./snapshot-schema.js";

export type { CollectorSnapshot };

export interface CollectorOptions {
  /** The `connection` label value. */
  connection?: string;
  clock?: Clock;
  /** How many drop, connection and failure records are kept (the seed's default: 1000). */
  maxEventsRetained?: number;
  enableVerboseLogging?: boolean;
  logger?: LoggerLike;
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
}

export interface FailureInput {
  error?: unknown;
  connackReasonCode?: number | null;
}

/** What listeners (journal, instruments) see for each recorded event. */
export interface RecordedEvent {
  line: JournalEvent;
  /** Length of the session this event ended, in seconds (drops only). */
  sessionEndedSeconds?: number;
  /** Seconds since the last drop (successes only, when there was a drop). */
  timeToReconnectSeconds?: number;
}

/** The SDK's `getOperationalStatistics()`, as last sampled (not journaled: a live gauge). */
export interface OperationalStatistics {
  incompleteOperationCount: number;
  incompleteOperationSize: number;
  unackedOperationCount: number;
  unackedOperationSize: number;
}

export type DropListener = (event: ConnectionDropEvent) => void;
export type EventListener = (event: RecordedEvent) => void;

export const DEFAULT_MAX_EVENTS_RETAINED = 1000;
export const DEFAULT_EXPORT_LIMIT = 50;

function bucketOf(reconnectAttempt: number): string {
  if (reconnectAttempt <= 1) return "1";
  if (reconnectAttempt <= 5) return "2-5";
  if (reconnectAttempt <= 10) return "6-10";
  return "11+";
}

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function toRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(map);
}

/**
 * Port of the seed's `MqttDiagnosticsCollector` for one connection. Pure: time comes from the
 * injected clock (or from a journal line's `ts`), and every event costs O(1) with bounded memory.
 */
export class MqttDiagnosticsCollector {
  readonly connection: string;
  readonly maxEventsRetained: number;
  readonly clock: Clock;
  enableVerboseLogging: boolean;
  private readonly logger: LoggerLike;

  private readonly drops: RingBuffer<ConnectionDropEvent>;
  private readonly connections: RingBuffer<ConnectionEvent>;
  private readonly failures: RingBuffer<ConnectionFailureEvent>;
  private sessions = new SessionStats();
  private readonly metrics: MqttMetrics = {
    total_connections: 0,
    total_disconnects: 0,
    total_connection_drops: 0,
    total_reconnect_attempts: 0,
    longest_session_seconds: 0,
    shortest_session_seconds: Number.POSITIVE_INFINITY,
    average_session_seconds: 0,
    current_session_uptime_seconds: 0,
    // Keyed by input (error names): no prototype, so `constructor` or `__proto__` count as names.
    connection_drops_by_error: Object.create(null) as Record<string, number>,
    reconnection_attempts_distribution: {},
    last_drop_timestamp: null,
    last_successful_connect_timestamp: null,
    connection_recovered: 0,
    messages_published: 0,
    messages_queued: 0,
  };
  private sessionStartMs: number | null = null;
  private lastDropMs: number | null = null;
  /** Cleared by a stop: the first success after a restart is not a reconnect. */
  private reconnectFromMs: number | null = null;
  private attemptBuckets = new Map<string, number>();
  private awsErrorNameCounts = new Map<string, number>();
  // Additions beyond the seed, kept for the instruments and the diagnosis.
  private connectionsByEventType = new Map<string, number>();
  private dropsByLabel = new Map<string, number>();
  private failuresByLabel = new Map<string, number>();
  private serverDisconnects = new Map<string, number>();
  private failureCount = 0;
  private attemptCount = 0;
  private keepAliveSeconds: number | null = null;
  private probes = 0;
  private probeTimeouts = 0;
  private publishRejections = 0;
  private lastProbeRtt: number | null = null;
  private opStats: OperationalStatistics | null = null;
  private dropListeners: DropListener[] = [];
  private eventListeners: EventListener[] = [];
  private changeCount = 0;
  /** Spread into journal lines: the default connection's lines carry no `connection`. */
  private readonly connectionTag: { connection?: string };

  constructor(options: CollectorOptions = {}) {
    this.connection = options.connection ?? DEFAULT_CONNECTION;
    this.clock = options.clock ?? systemClock;
    this.maxEventsRetained = options.maxEventsRetained ?? DEFAULT_MAX_EVENTS_RETAINED;
    this.enableVerboseLogging = options.enableVerboseLogging ?? false;
    this.logger = options.logger ?? console;
    this.drops = new RingBuffer(this.maxEventsRetained);
    this.connections = new RingBuffer(this.maxEventsRetained);
    this.failures = new RingBuffer(this.maxEventsRetained);
    this.connectionTag = this.connection === DEFAULT_CONNECTION ? {} : { connection: this.connection };
  }

  /** The seed's `on_connection_drop`: called for each drop; a throwing listener is logged. */
  onConnectionDrop(callback: DropListener): () => void {
    this.dropListeners.push(callback);
    return () => {
      this.dropListeners = this.dropListeners.filter((l) => l !== callback);
    };
  }

  /** Every recorded event, as its journal line (the journal and the instruments listen here). */
  onEvent(callback: EventListener): () => void {
    this.eventListeners.push(callback);
    return () => {
      this.eventListeners = this.eventListeners.filter((l) => l !== callback);
    };
  }

  /** Increases on every recorded event: lets readers cache what they derive from the state. */
  get version(): number {
    return this.changeCount;
  }

  recordConnectionDrop(input: DropInput = {}): ConnectionDropEvent {
    const info = describeError(input.error);
    const at = this.clock.now();
    return this.applyDrop(at, isoTimestamp(at), {
      error_name: info.error_name,
      error_message: info.error_message,
      error_code: info.error_code,
      reconnect_attempt: input.reconnectAttempt ?? 0,
      active_subscriptions: input.activeSubscriptions ?? 0,
      queued_commands: input.queuedCommands ?? 0,
      disconnect_reason_code: input.disconnectReasonCode ?? null,
    });
  }

  recordConnectionSuccess(input: SuccessInput = {}): ConnectionEvent {
    const at = this.clock.now();
    return this.applySuccess(at, isoTimestamp(at), {
      event_type: input.eventType ?? "connected",
      session_present: input.sessionPresent ?? false,
      return_code: input.returnCode ?? null,
      attempt_number: input.attemptNumber ?? 0,
      keep_alive_seconds: input.keepAliveSeconds ?? null,
    });
  }

  recordPublish(queued = false): void {
    this.applyPublish(this.clock.now(), undefined, queued);
  }

  /** A publish the SDK refused (offline, by its offline queue policy): neither sent nor queued. Not journaled. */
  recordPublishRejected(): void {
    this.publishRejections++;
    this.changeCount++;
  }

  recordConnectionFailure(input: FailureInput = {}): ConnectionFailureEvent {
    const info = describeError(input.error);
    const at = this.clock.now();
    return this.applyFailure(at, isoTimestamp(at), { ...info, connack_reason_code: input.connackReasonCode ?? null });
  }

  recordConnectionAttempt(): void {
    this.applyAttempt(this.clock.now(), undefined);
  }

  /** A probe round trip (seconds), or null when the probe timed out. */
  recordProbe(rttSeconds: number | null): void {
    this.applyProbe(this.clock.now(), undefined, rttSeconds);
  }

  /** Latest queue statistics from the client; a gauge, so it is kept but not journaled. */
  recordOperationalStatistics(stats: OperationalStatistics): void {
    const o = this.opStats;
    if (
      o !== null &&
      o.incompleteOperationCount === stats.incompleteOperationCount &&
      o.incompleteOperationSize === stats.incompleteOperationSize &&
      o.unackedOperationCount === stats.unackedOperationCount &&
      o.unackedOperationSize === stats.unackedOperationSize
    ) {
      return;
    }
    this.opStats = { ...stats };
    this.changeCount++;
  }

  /** A clean end of the session (client stopped, process restarted): not a drop. */
  recordConnectionStopped(reason?: string): void {
    this.applyStopped(this.clock.now(), undefined, reason);
  }

  /** Applies a journal line, using its `ts` as the time of the event (replay and restore). */
  apply(line: JournalEvent): void {
    const at = Date.parse(line.ts);
    // Lines this service wrote are already canonical (toISOString); others are normalised.
    const ts = isCanonicalIso(line.ts) ? line.ts : isoTimestamp(at);
    switch (line.kind) {
      case "connection_success":
        this.applySuccess(at, ts, {
          event_type: line.event_type,
          session_present: line.session_present,
          return_code: line.return_code,
          attempt_number: line.attempt_number,
          keep_alive_seconds: line.keep_alive_seconds ?? null,
        });
        return;
      case "connection_drop": {
        // The error as the seed records it: a CRT error (a non-empty name) always has a message
        // string, "" when it had none; any other error keeps only its message, no name or code.
        // Lines we write have this shape already; foreign or hand-written ones are brought to it.
        const crt = typeof line.error_name === "string" && line.error_name !== "";
        this.applyDrop(at, ts, {
          error_name: crt ? line.error_name : null,
          error_message: truncateMessage(crt ? (line.error_message ?? "") : (line.error_message ?? null)),
          error_code: crt ? line.error_code : null,
          reconnect_attempt: line.reconnect_attempt,
          active_subscriptions: line.active_subscriptions,
          queued_commands: line.queued_commands,
          disconnect_reason_code: line.disconnect_reason_code ?? null,
        });
        return;
      }
      case "publish":
        this.applyPublish(at, ts, line.queued);
        return;
      case "connection_failure":
        this.applyFailure(at, ts, {
          error_name: line.error_name,
          error_message: truncateMessage(line.error_message ?? null),
          error_code: line.error_code,
          connack_reason_code: line.connack_reason_code ?? null,
        });
        return;
      case "connection_attempt":
        this.applyAttempt(at, ts);
        return;
      case "connection_stopped":
        this.applyStopped(at, ts, line.reason);
        return;
      case "probe":
        this.applyProbe(at, ts, line.rtt_seconds);
        return;
    }
  }

  private applyDrop(at: number, now: string, fields: Omit<ConnectionDropEvent, "timestamp" | "duration_connected_seconds">): ConnectionDropEvent {
    // The documented fix: a session ends at its first drop. Later drops before the next
    // success are failed reconnects and carry no duration (the seed measured them again).
    const duration = this.sessionStartMs === null ? null : (at - this.sessionStartMs) / 1000;
    this.sessionStartMs = null;
    // Key order as the seed's dataclass: duration sits before the counts.
    const ordered: ConnectionDropEvent = {
      timestamp: now,
      error_name: boundName(fields.error_name),
      error_message: fields.error_message,
      error_code: fields.error_code,
      reconnect_attempt: fields.reconnect_attempt,
      duration_connected_seconds: duration,
      active_subscriptions: fields.active_subscriptions,
      queued_commands: fields.queued_commands,
      disconnect_reason_code: fields.disconnect_reason_code,
    };
    const m = this.metrics;
    if (ordered.error_name) {
      increment(this.awsErrorNameCounts, ordered.error_name);
      m.connection_drops_by_error[ordered.error_name] = (m.connection_drops_by_error[ordered.error_name] ?? 0) + 1;
    }
    m.total_connection_drops++;
    m.total_reconnect_attempts++;
    m.last_drop_timestamp = now;
    m.current_session_uptime_seconds = 0;
    this.lastDropMs = at;
    this.reconnectFromMs = at;
    if (duration !== null) {
      this.sessions.add(duration);
      m.longest_session_seconds = this.sessions.max;
      m.shortest_session_seconds = this.sessions.min;
      m.average_session_seconds = this.sessions.average;
    }
    increment(this.dropsByLabel, errorLabel(ordered));
    if (ordered.disconnect_reason_code !== null) {
      increment(this.serverDisconnects, disconnectReasonName(ordered.disconnect_reason_code));
    }
    increment(this.attemptBuckets, bucketOf(ordered.reconnect_attempt));
    const evicted = this.drops.push(ordered);
    if (evicted !== undefined) {
      const bucket = bucketOf(evicted.reconnect_attempt);
      const left = (this.attemptBuckets.get(bucket) ?? 1) - 1;
      if (left === 0) this.attemptBuckets.delete(bucket);
      else this.attemptBuckets.set(bucket, left);
    }
    this.changeCount++;
    if (this.enableVerboseLogging) {
      this.logger.warn({ connection: this.connection, drop: ordered }, "Connection drop recorded");
    }
    for (const listener of this.dropListeners) {
      try {
        listener(ordered);
      } catch (err) {
        this.logger.error({ err, connection: this.connection }, "Error in drop listener");
      }
    }
    if (this.eventListeners.length > 0) this.emit(
      {
        ts: now,
        kind: "connection_drop",
        ...this.connectionTag,
        error_name: ordered.error_name,
        error_message: ordered.error_message,
        error_code: ordered.error_code,
        reconnect_attempt: ordered.reconnect_attempt,
        active_subscriptions: ordered.active_subscriptions,
        queued_commands: ordered.queued_commands,
        ...(ordered.disconnect_reason_code !== null ? { disconnect_reason_code: ordered.disconnect_reason_code } : {}),
      },
      duration === null ? {} : { sessionEndedSeconds: duration },
    );
    return ordered;
  }

  private applySuccess(at: number, now: string, fields: Omit<ConnectionEvent, "timestamp" | "time_to_reconnect_seconds">): ConnectionEvent {
    const m = this.metrics;
    const eventType = boundName(fields.event_type);
    if (eventType === "connected") m.total_connections++;
    else m.connection_recovered++;
    const timeToReconnect = this.reconnectFromMs === null ? null : (at - this.reconnectFromMs) / 1000;
    this.sessionStartMs = at;
    const event: ConnectionEvent = {
      timestamp: now,
      event_type: eventType,
      session_present: fields.session_present,
      return_code: fields.return_code,
      attempt_number: fields.attempt_number,
      time_to_reconnect_seconds: timeToReconnect,
      keep_alive_seconds: fields.keep_alive_seconds,
    };
    m.current_session_uptime_seconds = 0;
    m.last_successful_connect_timestamp = now;
    if (fields.keep_alive_seconds !== null) this.keepAliveSeconds = fields.keep_alive_seconds;
    increment(this.connectionsByEventType, eventType);
    this.connections.push(event);
    this.changeCount++;
    if (this.eventListeners.length > 0) this.emit(
      {
        ts: now,
        kind: "connection_success",
        ...this.connectionTag,
        event_type: event.event_type,
        session_present: event.session_present,
        return_code: event.return_code,
        attempt_number: event.attempt_number,
        ...(event.keep_alive_seconds !== null ? { keep_alive_seconds: event.keep_alive_seconds } : {}),
      },
      timeToReconnect === null ? {} : { timeToReconnectSeconds: timeToReconnect },
    );
    return event;
  }

  private applyPublish(at: number, ts: string | undefined, queued: boolean): void {
    if (queued) this.metrics.messages_queued++;
    else this.metrics.messages_published++;
    this.changeCount++;
    if (this.eventListeners.length > 0) {
      this.emit({ ts: ts ?? isoTimestamp(at), kind: "publish", ...this.connectionTag, queued }, {});
    }
  }

  private applyFailure(_at: number, ts: string, fields: Omit<ConnectionFailureEvent, "timestamp">): ConnectionFailureEvent {
    const event: ConnectionFailureEvent = { timestamp: ts, ...fields, error_name: boundName(fields.error_name) };
    this.failureCount++;
    increment(this.failuresByLabel, errorLabel(event));
    this.failures.push(event);
    this.changeCount++;
    if (this.eventListeners.length > 0) this.emit(
      {
        ts: event.timestamp,
        kind: "connection_failure",
        ...this.connectionTag,
        error_name: event.error_name,
        error_message: event.error_message,
        error_code: event.error_code,
        ...(event.connack_reason_code !== null ? { connack_reason_code: event.connack_reason_code } : {}),
      },
      {},
    );
    return event;
  }

  private applyAttempt(at: number, ts: string | undefined): void {
    this.attemptCount++;
    this.changeCount++;
    if (this.eventListeners.length > 0) {
      this.emit({ ts: ts ?? isoTimestamp(at), kind: "connection_attempt", ...this.connectionTag }, {});
    }
  }

  private applyProbe(at: number, ts: string | undefined, rttSeconds: number | null): void {
    this.probes++;
    if (rttSeconds === null) this.probeTimeouts++;
    else this.lastProbeRtt = rttSeconds;
    this.changeCount++;
    if (this.eventListeners.length > 0) this.emit({ ts: ts ?? isoTimestamp(at), kind: "probe", ...this.connectionTag, rtt_seconds: rttSeconds }, {});
  }

  private applyStopped(at: number, ts: string | undefined, rawReason: string | undefined): void {
    const reason = rawReason === undefined ? undefined : boundName(rawReason);
    this.sessionStartMs = null;
    this.reconnectFromMs = null;
    this.metrics.current_session_uptime_seconds = 0;
    this.changeCount++;
    if (this.eventListeners.length > 0) {
      this.emit({ ts: ts ?? isoTimestamp(at), kind: "connection_stopped", ...this.connectionTag, ...(reason !== undefined ? { reason } : {}) }, {});
    }
  }


  private emit(line: JournalEvent, derived: Omit<RecordedEvent, "line">): void {
    for (const listener of this.eventListeners) {
      try {
        listener({ line, ...derived });
      } catch (err) {
        this.logger.error({ err, connection: this.connection }, "Error in event listener");
      }
    }
  }

  /** The seed's `update_metrics`. */
  updateMetrics(): void {
    if (this.sessionStartMs !== null) {
      this.metrics.current_session_uptime_seconds = (this.clock.now() - this.sessionStartMs) / 1000;
    }
  }

  /** The seed's `get_metrics`: a copy, with uptime and the attempt distribution brought up to date. */
  getMetrics(): MqttMetrics {
    this.updateMetrics();
    this.metrics.reconnection_attempts_distribution = toRecord(this.attemptBuckets);
    return {
      ...this.metrics,
      connection_drops_by_error: { ...this.metrics.connection_drops_by_error },
      reconnection_attempts_distribution: { ...this.metrics.reconnection_attempts_distribution },
    };
  }

  getRecentDrops(limit = 10): ConnectionDropEvent[] {
    return this.drops.last(limit);
  }

  getRecentConnections(limit = 10): ConnectionEvent[] {
    return this.connections.last(limit);
  }

  getRecentFailures(limit = 10): ConnectionFailureEvent[] {
    return this.failures.last(limit);
  }

  /** The seed's `export_json()` document (as an object), with `limit` recent events of each kind. */
  export(limit = DEFAULT_EXPORT_LIMIT): ExportDocument {
    const metrics = this.getMetrics();
    return {
      timestamp: isoTimestamp(this.clock.now()),
      metrics: {
        ...metrics,
        shortest_session_seconds: Number.isFinite(metrics.shortest_session_seconds) ? metrics.shortest_session_seconds : null,
      },
      recent_drops: this.getRecentDrops(limit),
      recent_connections: this.getRecentConnections(limit),
      aws_error_counts: toRecord(this.awsErrorNameCounts),
      session_history_summary: {
        total_sessions: this.sessions.count,
        sample_durations: this.sessions.recent.last(),
      },
      connection: this.connection,
      connected: this.isConnected,
      negotiated_keep_alive_seconds: this.keepAliveSeconds,
      connection_attempts: this.attemptCount,
      connection_failures: {
        total: this.failureCount,
        by_error: toRecord(this.failuresByLabel),
        recent: this.getRecentFailures(limit),
      },
      server_disconnects_by_reason: toRecord(this.serverDisconnects),
    };
  }

  /** The seed's `export_json()`: the document as indented JSON text. */
  exportJson(limit = DEFAULT_EXPORT_LIMIT): string {
    return JSON.stringify(this.export(limit), null, 2);
  }

  snapshot(): CollectorSnapshot {
    const { reconnection_attempts_distribution: _derived, shortest_session_seconds, ...metrics } = this.metrics;
    return {
      metrics: {
        ...metrics,
        connection_drops_by_error: { ...metrics.connection_drops_by_error },
        shortest_session_seconds: Number.isFinite(shortest_session_seconds) ? shortest_session_seconds : null,
      },
      session_start_ms: this.sessionStartMs,
      last_drop_ms: this.lastDropMs,
      reconnect_from_ms: this.reconnectFromMs,
      sessions: {
        count: this.sessions.count,
        sum: this.sessions.sum,
        min: Number.isFinite(this.sessions.min) ? this.sessions.min : null,
        max: this.sessions.max,
        recent: this.sessions.recent.last(),
      },
      aws_error_counts: toRecord(this.awsErrorNameCounts),
      connections_by_event_type: toRecord(this.connectionsByEventType),
      drops_by_label: toRecord(this.dropsByLabel),
      failures_by_label: toRecord(this.failuresByLabel),
      server_disconnects: toRecord(this.serverDisconnects),
      failure_count: this.failureCount,
      attempt_count: this.attemptCount,
      keep_alive_seconds: this.keepAliveSeconds,
      probes: this.probes,
      probe_timeouts: this.probeTimeouts,
      last_probe_rtt: this.lastProbeRtt,
      drops: this.drops.last(),
      connections: this.connections.last(),
      failures: this.failures.last(),
    };
  }

  /** Replaces the whole state with a snapshot (restore from a checkpoint); emits nothing. */
  restoreSnapshot(s: CollectorSnapshot): void {
    const inf = (v: number | null) => (v === null ? Number.POSITIVE_INFINITY : v);
    Object.assign(this.metrics, s.metrics, {
      connection_drops_by_error: Object.assign(Object.create(null) as Record<string, number>, s.metrics.connection_drops_by_error),
      shortest_session_seconds: inf(s.metrics.shortest_session_seconds),
    });
    this.sessionStartMs = s.session_start_ms;
    this.lastDropMs = s.last_drop_ms;
    this.reconnectFromMs = s.reconnect_from_ms === undefined ? s.last_drop_ms : s.reconnect_from_ms;
    this.sessions = new SessionStats();
    this.sessions.count = s.sessions.count;
    this.sessions.sum = s.sessions.sum;
    this.sessions.min = inf(s.sessions.min);
    this.sessions.max = s.sessions.max;
    for (const d of s.sessions.recent) this.sessions.recent.push(d);
    const fill = (map: Map<string, number>, rec: Record<string, number>) => {
      map.clear();
      for (const [k, v] of Object.entries(rec)) map.set(k, v);
    };
    fill(this.awsErrorNameCounts, s.aws_error_counts);
    fill(this.connectionsByEventType, s.connections_by_event_type);
    fill(this.dropsByLabel, s.drops_by_label);
    fill(this.failuresByLabel, s.failures_by_label);
    fill(this.serverDisconnects, s.server_disconnects);
    this.failureCount = s.failure_count;
    this.attemptCount = s.attempt_count;
    this.keepAliveSeconds = s.keep_alive_seconds;
    this.probes = s.probes;
    this.probeTimeouts = s.probe_timeouts;
    this.lastProbeRtt = s.last_probe_rtt;
    this.drops.clear();
    this.attemptBuckets.clear();
    for (const d of s.drops.slice(-this.maxEventsRetained)) {
      this.drops.push(d);
      increment(this.attemptBuckets, bucketOf(d.reconnect_attempt));
    }
    this.connections.clear();
    for (const c of s.connections.slice(-this.maxEventsRetained)) this.connections.push(c);
    this.failures.clear();
    for (const f of s.failures.slice(-this.maxEventsRetained)) this.failures.push(f);
    this.changeCount++;
  }

  // Read-only views for the instruments and the diagnosis (no copies on the scrape path).

  get isConnected(): boolean {
    return this.sessionStartMs !== null;
  }

  /** Seconds since the current session began; 0 while disconnected. */
  sessionUptimeSeconds(): number {
    return this.sessionStartMs === null ? 0 : (this.clock.now() - this.sessionStartMs) / 1000;
  }

  get negotiatedKeepAliveSeconds(): number | null {
    return this.keepAliveSeconds;
  }

  get lastDropUnixSeconds(): number | null {
    return this.lastDropMs === null ? null : this.lastDropMs / 1000;
  }

  get totals(): Readonly<MqttMetrics> {
    return this.metrics;
  }

  get connectionAttempts(): number {
    return this.attemptCount;
  }

  get connectionFailures(): number {
    return this.failureCount;
  }

  get connectionsByType(): ReadonlyMap<string, number> {
    return this.connectionsByEventType;
  }

  get dropsByErrorLabel(): ReadonlyMap<string, number> {
    return this.dropsByLabel;
  }

  get failuresByErrorLabel(): ReadonlyMap<string, number> {
    return this.failuresByLabel;
  }

  get serverDisconnectsByReason(): ReadonlyMap<string, number> {
    return this.serverDisconnects;
  }

  get probeCount(): number {
    return this.probes;
  }

  get probeTimeoutCount(): number {
    return this.probeTimeouts;
  }

  /** Publishes the SDK refused since this process started. */
  get publishesRejected(): number {
    return this.publishRejections;
  }

  get lastProbeRttSeconds(): number | null {
    return this.lastProbeRtt;
  }

  get operationalStatistics(): Readonly<OperationalStatistics> | null {
    return this.opStats;
  }

  get sessionStats(): Readonly<Pick<SessionStats, "count" | "sum" | "min" | "max">> {
    return this.sessions;
  }
}
