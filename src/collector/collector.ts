import { type Clock, isoTimestamp, parseIsoMs, systemClock } from "../clock.js";
import { CollectorReadings } from "./readings.js";
import { describeError } from "./error-info.js";
import { DEFAULT_CONNECTION, type JournalEvent, type JournalKind, lineOf } from "./event-model.js";
import { ListenerBus, type ListenOptions } from "./listener-bus.js";
import type { CollectorOptions, DropInput, FailureInput, SuccessInput } from "./inputs.js";
import type { LoggerLike } from "./logger.js";
import { normalizeLine } from "./normalize.js";
import { reduce } from "./reducer.js";
import type { TimestampOrigin } from "./record-ring.js";
import { restoreState, snapshotOf } from "./snapshot.js";
import type { CollectorSnapshot } from "./snapshot-schema.js";
import { type CollectorState, createState, newestRecord, type OperationalStatistics } from "./state.js";
import type { LifecycleEvent } from "../aws-join/events.js";
import type { ConnectionDropEvent, ConnectionEvent, ConnectionFailureEvent } from "./types.js";

export type { CollectorSnapshot, OperationalStatistics };
export type { CollectorOptions, DropInput, FailureInput, SuccessInput } from "./inputs.js";
export { DEFAULT_EXPORT_LIMIT } from "./export-document.js";

/** What listeners (journal, instruments) see for each recorded event. */
export interface RecordedEvent {
  line: JournalEvent;
  /** Length of the session this event ended, in seconds (drops only). */
  sessionEndedSeconds?: number;
  /** Seconds since the drop the connection recovered from (successes only, when there was one). */
  timeToReconnectSeconds?: number;
}

type AnyRecord = ConnectionDropEvent | ConnectionEvent | ConnectionFailureEvent;

export type DropListener = (event: ConnectionDropEvent) => void;
export type EventListener = (event: RecordedEvent) => void;

export const DEFAULT_MAX_EVENTS_RETAINED = 1000;

/**
 * One connection's collector, the port of the original Python module's `MqttDiagnosticsCollector`
 * (docs/compatibility.md). This class is the recorder: it owns the clock, turns what the SDK
 * reports into events (input normalisation), hands them to the pure reducer and then to the
 * listeners. Every event costs O(1) with bounded memory; the reads are in CollectorReadings.
 */
export class MqttDiagnosticsCollector extends CollectorReadings {
  readonly connection: string;
  readonly maxEventsRetained: number;
  readonly clock: Clock;
  enableVerboseLogging: boolean;
  protected readonly state: CollectorState;
  private readonly logger: LoggerLike;
  private readonly events: ListenerBus<RecordedEvent>;
  private readonly dropListeners: ListenerBus<ConnectionDropEvent>;

  constructor(options: CollectorOptions = {}) {
    super();
    this.connection = options.connection ?? DEFAULT_CONNECTION;
    this.clock = options.clock ?? systemClock;
    this.maxEventsRetained = options.maxEventsRetained ?? DEFAULT_MAX_EVENTS_RETAINED;
    this.enableVerboseLogging = options.enableVerboseLogging ?? false;
    const logger = (this.logger = options.logger ?? console);
    this.state = createState(this.maxEventsRetained, options.lifecycleJoinWindowMs);
    this.events = new ListenerBus(
      (err) => logger.error({ err, connection: this.connection }, "Error in event listener"),
      (missed) => logger.warn({ connection: this.connection, missed }, "event listener attached after a restore: restored events are not replayed to it"),
    );
    this.dropListeners = new ListenerBus((err) => logger.error({ err, connection: this.connection }, "Error in drop listener"));
  }

  /** The original's `on_connection_drop`: called for each drop; a throwing listener is logged. */
  onConnectionDrop(callback: DropListener): () => void {
    return this.dropListeners.add(callback);
  }

  /**
   * Every recorded event, as its journal line. `phase: "derive"` (the default: instruments) sees
   * restored events too and runs first; `phase: "persist"` (the journal) sees only new events.
   */
  onEvent(callback: EventListener, options?: ListenOptions): () => void {
    return this.events.add(callback, options);
  }

  recordConnectionDrop(input: DropInput = {}): ConnectionDropEvent {
    // The error's fields by name, not spread: spreading a fresh object into a literal cost
    // ~0.4-2 µs per event on V8 (most of recording a drop); see docs/benchmarks.md.
    const e = describeError(input.error);
    return this.record("connection_drop", {
      error_name: e.error_name,
      error_message: e.error_message,
      error_code: e.error_code,
      reconnect_attempt: input.reconnectAttempt,
      active_subscriptions: input.activeSubscriptions,
      queued_commands: input.queuedCommands,
      disconnect_reason_code: input.disconnectReasonCode,
    }) as ConnectionDropEvent;
  }

  recordConnectionSuccess(input: SuccessInput = {}): ConnectionEvent {
    return this.record("connection_success", {
      event_type: input.eventType,
      session_present: input.sessionPresent,
      return_code: input.returnCode,
      attempt_number: input.attemptNumber,
      keep_alive_seconds: input.keepAliveSeconds,
      client_id: input.clientId,
      transport: input.transport,
    }) as ConnectionEvent;
  }

  /**
   * An AWS IoT Core lifecycle event about this connection's client ID (from the observer, or a
   * file exported from AWS). Journaled with AWS's fields; a message seen before is ignored, so
   * AWS's duplicate deliveries are neither journaled nor counted. Returns false for a duplicate.
   */
  recordLifecycleEvent(event: LifecycleEvent): boolean {
    if (this.state.lifecycle.has(event)) return false;
    this.record("lifecycle", event as unknown as Readonly<Record<string, unknown>>);
    return true;
  }

  /**
   * An AWS lifecycle event read from a file AWS exported (replay --lifecycle): joined like one
   * received live, but with no time of arrival (the replay's clock says nothing about when it
   * was received), and not journaled. Returns false for a duplicate.
   */
  addLifecycleEvidence(event: LifecycleEvent): boolean {
    if (!this.state.lifecycle.add(event)) return false;
    this.state.version++;
    return true;
  }

  /**
   * Classifies the lifecycle events whose join window has passed (foreign sessions are counted
   * then). The service calls it a window after each event; replay calls it at the replay's time.
   */
  settleLifecycle(now = this.clock.now()): void {
    if (this.state.lifecycle.settle(now)) this.state.version++;
  }

  recordPublish(queued = false): void {
    this.record("publish", { queued });
  }

  /** A publish the SDK refused (offline, by its offline queue policy): neither sent nor queued. Not journaled. */
  recordPublishRejected(): void {
    this.state.publishRejections++;
    this.state.version++;
  }

  recordConnectionFailure(input: FailureInput = {}): ConnectionFailureEvent {
    const e = describeError(input.error);
    return this.record("connection_failure", {
      error_name: e.error_name,
      error_message: e.error_message,
      error_code: e.error_code,
      connack_reason_code: input.connackReasonCode,
    }) as ConnectionFailureEvent;
  }

  recordConnectionAttempt(): void {
    this.record("connection_attempt", {});
  }

  /** A probe round trip (seconds), or null when the probe timed out. */
  recordProbe(rttSeconds: number | null): void {
    this.record("probe", { rtt_seconds: rttSeconds });
  }

  /** A clean end of the session (client stopped, process restarted): not a drop. */
  recordConnectionStopped(reason?: string): void {
    this.record("connection_stopped", { reason });
  }

  /** Latest queue statistics from the client; a gauge, so it is kept but not journaled. */
  recordOperationalStatistics(stats: OperationalStatistics): void {
    const o = this.state.opStats;
    if (
      o !== null &&
      o.incompleteOperationCount === stats.incompleteOperationCount &&
      o.incompleteOperationSize === stats.incompleteOperationSize &&
      o.unackedOperationCount === stats.unackedOperationCount &&
      o.unackedOperationSize === stats.unackedOperationSize
    ) {
      return;
    }
    this.state.opStats = { ...stats };
    this.state.version++;
  }

  /**
   * Applies a journal line, using its `ts` as the time of the event (replay and restore).
   * `restored: true` (a restore from this collector's own journal) keeps it from persist listeners;
   * `at` is `ts` already parsed (the journal reader parses each line's once); `canonicalTs`
   * says `ts` is known to be in `toISOString()` form (the reader checked it), so it is not checked
   * again; `inShape` that its other fields are known to need no repair (normalize's `inShape`).
   */
  apply(line: JournalEvent, options: { restored?: boolean; at?: number; canonicalTs?: boolean; inShape?: boolean } = {}): void {
    const at = options.at ?? parseIsoMs(line.ts);
    const normalized = normalizeLine(line, at, options.canonicalTs === true, options.inShape === true);
    // A `ts` normalising replaced is isoTimestamp(at); one the reader checked has toISOString's shape.
    const origin = normalized.ts !== line.ts ? "made" : options.canonicalTs === true ? "shaped" : "unknown";
    this.process(normalized, at, options.restored === true, origin, false);
  }

  snapshot(): CollectorSnapshot {
    return snapshotOf(this.state, this.clock.now());
  }

  /** Replaces the whole state with a snapshot (restore from a checkpoint); emits nothing. */
  restoreSnapshot(snapshot: CollectorSnapshot): void {
    restoreState(this.state, snapshot);
  }

  // An event from the SDK: now, normalised like any line, with the original's defaults.
  private record(kind: JournalKind, values: Readonly<Record<string, unknown>>): AnyRecord | undefined {
    const at = this.clock.now();
    const line = lineOf(kind, isoTimestamp(at), this.connection, values);
    // The timestamp is isoTimestamp's, canonical: not read again (records keep its time, not the string).
    return this.process(normalizeLine(line, at, true), at, false, "made", true);
  }

  // Applies a line; its record (drops, successes, failures) is made only when someone takes it.
  private process(line: JournalEvent, at: number, restored: boolean, origin: TimestampOrigin, wantRecord: boolean): AnyRecord | undefined {
    const outcome = reduce(this.state, line, at, origin);
    this.state.lifecycle.observe(line, at, outcome.key);
    let record: AnyRecord | undefined;
    if (line.kind === "connection_drop" && (this.enableVerboseLogging || this.dropListeners.wants(false))) {
      const drop = (record = this.state.drops.newest(line.ts) as ConnectionDropEvent);
      if (this.enableVerboseLogging) this.logger.warn({ connection: this.connection, drop }, "Connection drop recorded");
      if (this.dropListeners.wants(false)) this.dropListeners.emit(drop);
    }
    if (this.events.wants(restored)) {
      // One literal per case (a drop ends a session, a success may end a wait): no key is added
      // to an object after it is made.
      const own = this.ownLine(line);
      const { sessionEndedSeconds: ended, timeToReconnectSeconds: waited } = outcome;
      const event: RecordedEvent =
        ended !== undefined ? { line: own, sessionEndedSeconds: ended } : waited !== undefined ? { line: own, timeToReconnectSeconds: waited } : { line: own };
      this.events.emit(event, restored);
    }
    return wantRecord ? (record ?? newestRecord(this.state, line)) : undefined;
  }

  // Listeners see the line as this collector records it: its own connection, the table's fields.
  private ownLine(line: JournalEvent): JournalEvent {
    const tagged = this.connection === DEFAULT_CONNECTION ? line.connection === undefined : line.connection === this.connection;
    return tagged ? line : lineOf(line.kind, line.ts, this.connection, line as unknown as Readonly<Record<string, unknown>>);
  }
}
