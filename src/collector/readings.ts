import type { Clock } from "../clock.js";
import type { LifecycleJoin } from "../aws-join/join.js";
import type { EndOutcome } from "../aws-join/outcome.js";
import { DEFAULT_EXPORT_LIMIT, exportDocument, metricsOf, uptimeSeconds } from "./export-document.js";
import type { SessionStats } from "./session-stats.js";
import type { CollectorState, OperationalStatistics, Totals } from "./state.js";
import type { ConnectionDropEvent, ConnectionEvent, ConnectionFailureEvent, ExportDocument, MqttMetrics } from "./types.js";

/** `Totals` plus the original's `total_reconnect_attempts` (one per drop). */
export type CollectorTotals = Readonly<Totals & { total_reconnect_attempts: number }>;

/**
 * Reads of one connection's state, for the instruments, the diagnosis, the HTTP side
 * and the library: nothing here writes state, and the scrape path gets no copies where it can
 * avoid them (Maps are handed out read-only).
 */
export abstract class CollectorReadings {
  protected abstract readonly state: CollectorState;
  abstract readonly connection: string;
  abstract readonly clock: Clock;

  /** Increases on every recorded event: lets readers cache what they derive from the state. */
  get version(): number {
    return this.state.version;
  }

  /** The original module's `get_metrics()`: a fresh object, uptime as of now. */
  getMetrics(): MqttMetrics {
    return metricsOf(this.state, this.clock.now());
  }

  getRecentDrops(limit = 10): ConnectionDropEvent[] {
    return this.state.drops.last(limit);
  }

  getRecentConnections(limit = 10): ConnectionEvent[] {
    return this.state.connections.last(limit);
  }

  getRecentFailures(limit = 10): ConnectionFailureEvent[] {
    return this.state.failures.last(limit);
  }

  /** The original's `export_json()` document (as an object), with `limit` recent events of each kind. */
  export(limit = DEFAULT_EXPORT_LIMIT): ExportDocument {
    return exportDocument(this.state, this.connection, this.clock.now(), limit);
  }

  /** The original's `export_json()`: the document as indented JSON text. */
  exportJson(limit = DEFAULT_EXPORT_LIMIT): string {
    return JSON.stringify(this.export(limit), null, 2);
  }

  get isConnected(): boolean {
    return this.state.sessionStartMs !== null;
  }

  /** Seconds since the current session began; 0 while disconnected. */
  sessionUptimeSeconds(): number {
    return uptimeSeconds(this.state, this.clock.now());
  }

  get negotiatedKeepAliveSeconds(): number | null {
    return this.state.keepAliveSeconds;
  }

  get lastDropUnixSeconds(): number | null {
    return this.state.lastDropMs === null ? null : this.state.lastDropMs / 1000;
  }

  get totals(): CollectorTotals {
    return { ...this.state.totals, total_reconnect_attempts: this.state.totals.total_connection_drops };
  }

  get connectionAttempts(): number {
    return this.state.attemptCount;
  }

  get connectionFailures(): number {
    return this.state.failureCount;
  }

  get connectionsByType(): ReadonlyMap<string, number> {
    return this.state.connectionsByEventType;
  }

  get dropsByErrorLabel(): ReadonlyMap<string, number> {
    return this.state.dropsByLabel;
  }

  get failuresByErrorLabel(): ReadonlyMap<string, number> {
    return this.state.failuresByLabel;
  }

  get serverDisconnectsByReason(): ReadonlyMap<string, number> {
    return this.state.serverDisconnects;
  }

  get probeCount(): number {
    return this.state.probes;
  }

  get probeTimeoutCount(): number {
    return this.state.probeTimeouts;
  }

  /** Publishes the SDK refused since this process started. */
  get publishesRejected(): number {
    return this.state.publishRejections;
  }

  get lastProbeRttSeconds(): number | null {
    return this.state.lastProbeRtt;
  }

  get operationalStatistics(): Readonly<OperationalStatistics> | null {
    return this.state.opStats;
  }

  /** The client ID the journal's newest success named (issue 13), or null. */
  get lifecycleClientId(): string | null {
    return this.state.lifecycle.clientId;
  }

  /** How far apart (ms) a drop and AWS's event about it may be and still be joined. */
  get lifecycleJoinWindowMs(): number {
    return this.state.lifecycle.windowMs;
  }

  /** Whether AWS lifecycle events were received for this connection. */
  get hasLifecycleEvents(): boolean {
    return this.state.lifecycle.hasEvents;
  }

  /** Distinct AWS lifecycle events received, by event type. */
  get lifecycleEventsByType(): ReadonlyMap<string, number> {
    return this.state.lifecycle.eventsByType;
  }

  /** Distinct AWS `disconnected` events, by AWS's `disconnectReason`. */
  get serverDisconnectReasons(): ReadonlyMap<string, number> {
    return this.state.lifecycle.disconnectReasons;
  }

  /** Sessions of another device with our client ID, counted once their window has passed. */
  get foreignSessionCount(): number {
    return this.state.lifecycle.foreignSessions;
  }

  /** The lifecycle join, as of now: what AWS said about each drop, half-open and foreign sessions. */
  lifecycleJoin(): LifecycleJoin {
    return this.state.lifecycle.join(this.clock.now());
  }

  /** AWS's reason for a drop or failure record of this collector (as its reads and record calls return them), or null. */
  serverReasonOf(record: object): string | null {
    // Another collector's records have keys too, which may be the same as ours.
    return this.state.owner.owns(record) ? this.state.lifecycle.serverReason(record) : null;
  }

  /** What AWS's end of the session a drop ended means (keep-alive expiry, self-takeover, ...), with AWS's delay; null when not joined. */
  serverOutcomeOf(record: object): EndOutcome | null {
    return this.state.owner.owns(record) ? this.state.lifecycle.outcome(record) : null;
  }

  /** AWS's clock minus the client's (ms), the median of paired connects; null before any pair. */
  get lifecycleClockOffsetMs(): number | null {
    return this.state.lifecycle.clockOffsetMs;
  }

  get sessionStats(): Readonly<Pick<SessionStats, "count" | "sum" | "min" | "max">> {
    return this.state.sessions;
  }
}
