import { LIFECYCLE_EVENT_TYPES } from "../aws-join/events.js";
import { awsCrtVersion, sdkVersion } from "../version.js";
import { PROBE_RTT_BUCKETS, SESSION_DURATION_BUCKETS, TIME_TO_RECONNECT_BUCKETS } from "./buckets.js";
import { capLabels } from "./label-cap.js";
import { byConnection, capped, counted, type MetricDef, type MetricSources } from "./metric-def.js";

/** Successful connections' event types, always exposed (0 before the first). */
export const EVENT_TYPES = ["connected", "resumed", "deep_reconnected"] as const;

/**
 * Every metric, declared once: names, HELP texts, units, labels, buckets, and how each reads its
 * samples. The exposition, the OTLP collection, an application's instruments, the views and the
 * names derive from this; the documentation's table is checked against it (catalog.test.ts).
 */
export const CATALOG = {
  connections: {
    name: "mqtt_client_connections",
    kind: "counter",
    scope: "connection",
    labels: ["connection", "event_type"],
    help: "Successful connections, by event type (connected, resumed, deep_reconnected).",
    read(c, emit) {
      const byType = c.connectionsByType;
      for (const type of EVENT_TYPES) emit(byType.get(type) ?? 0, type);
      if (byType.size === 0) return;
      for (const [type, n] of capLabels(byType)) if (!(EVENT_TYPES as readonly string[]).includes(type)) emit(n, type);
    },
  },
  drops: {
    name: "mqtt_client_connection_drops",
    kind: "counter",
    scope: "connection",
    labels: ["connection", "error_name"],
    help: "Connection drops, by aws-crt error name (none without error, unknown for a non-CRT error).",
    read: capped((c) => c.dropsByErrorLabel),
  },
  failures: {
    name: "mqtt_client_connection_failures",
    kind: "counter",
    scope: "connection",
    labels: ["connection", "error_name"],
    help: "Failed connection attempts, by aws-crt error name.",
    read: capped((c) => c.failuresByErrorLabel),
  },
  attempts: {
    name: "mqtt_client_connection_attempts",
    kind: "counter",
    scope: "connection",
    labels: byConnection,
    help: "Connection attempts started.",
    read: counted((c) => c.connectionAttempts),
  },
  reconnectAttempts: {
    name: "mqtt_client_reconnect_attempts",
    kind: "counter",
    scope: "connection",
    labels: byConnection,
    // Published as is (test/golden/exposition.prom): kept word for word.
    help: "Reconnect attempts, counted as the seed counts them (one per drop).",
    read: counted((c) => c.totals.total_reconnect_attempts),
  },
  serverDisconnects: {
    name: "mqtt_client_server_disconnects",
    kind: "counter",
    scope: "connection",
    labels: ["connection", "reason"],
    help: "MQTT 5 DISCONNECT packets from the server, by reason code name.",
    read: capped((c) => c.serverDisconnectsByReason),
  },
  serverDisconnectReasons: {
    name: "mqtt_client_server_disconnect_reasons",
    kind: "counter",
    scope: "connection",
    labels: ["connection", "reason"],
    help: "AWS IoT Core lifecycle disconnected events for the client ID, by AWS's disconnectReason.",
    read: capped((c) => c.serverDisconnectReasons),
  },
  foreignSessions: {
    name: "mqtt_client_foreign_sessions",
    kind: "counter",
    scope: "connection",
    labels: byConnection,
    help: "Connections by another device with this connection's client ID (AWS connected events not from this client).",
    read: counted((c) => c.foreignSessionCount),
  },
  lifecycleEvents: {
    name: "mqtt_client_lifecycle_events",
    kind: "counter",
    scope: "connection",
    labels: ["connection", "event_type"],
    help: "AWS IoT Core lifecycle events received for the client ID (duplicates dropped), by event type.",
    read(c, emit) {
      const byType = c.lifecycleEventsByType;
      for (const type of LIFECYCLE_EVENT_TYPES) emit(byType.get(type) ?? 0, type);
    },
  },
  published: {
    name: "mqtt_client_messages_published",
    kind: "counter",
    scope: "connection",
    labels: byConnection,
    help: "Messages published while connected.",
    read: counted((c) => c.totals.messages_published),
  },
  queued: {
    name: "mqtt_client_messages_queued",
    kind: "counter",
    scope: "connection",
    labels: byConnection,
    help: "Messages queued while offline.",
    read: counted((c) => c.totals.messages_queued),
  },
  probeTimeouts: {
    name: "mqtt_client_probe_timeouts",
    kind: "counter",
    scope: "connection",
    labels: byConnection,
    help: "Probe round trips that timed out.",
    read: counted((c) => c.probeTimeoutCount),
  },
  connected: {
    name: "mqtt_client_connected",
    kind: "gauge",
    scope: "connection",
    labels: byConnection,
    help: "1 while connected, 0 otherwise.",
    read: counted((c) => (c.isConnected ? 1 : 0)),
  },
  uptime: {
    name: "mqtt_client_session_uptime_seconds",
    kind: "gauge",
    scope: "process",
    labels: byConnection,
    unit: "s",
    help: "Age of the current session in seconds; 0 while disconnected.",
    read(all, emit) {
      for (const c of all) emit(c.sessionUptimeSeconds(), c.connection);
    },
  },
  lastDrop: {
    name: "mqtt_client_last_drop_timestamp_seconds",
    kind: "gauge",
    scope: "connection",
    labels: byConnection,
    unit: "s",
    help: "Unix time of the last drop in seconds; 0 before the first.",
    read: counted((c) => c.lastDropUnixSeconds ?? 0),
  },
  keepAlive: {
    name: "mqtt_client_negotiated_keep_alive_seconds",
    kind: "gauge",
    scope: "connection",
    labels: byConnection,
    unit: "s",
    help: "Keep-alive granted by the server in seconds; 0 until known.",
    read: counted((c) => c.negotiatedKeepAliveSeconds ?? 0),
  },
  queuedOps: {
    name: "mqtt_client_queued_operations",
    kind: "gauge",
    scope: "connection",
    labels: byConnection,
    help: "Operations waiting in the client's queue (getOperationalStatistics).",
    read: counted((c) => c.operationalStatistics?.incompleteOperationCount ?? 0),
  },
  unackedOps: {
    name: "mqtt_client_unacked_operations",
    kind: "gauge",
    scope: "connection",
    labels: byConnection,
    help: "Operations sent and awaiting acknowledgement (getOperationalStatistics).",
    read: counted((c) => c.operationalStatistics?.unackedOperationCount ?? 0),
  },
  diagnosis: {
    name: "mqtt_client_diagnosis",
    kind: "gauge",
    scope: "connection",
    labels: ["connection", "cause"],
    needs: "diagnosis",
    help: "Confidence (0..1) of each likely cause of drops.",
    read(c, emit, s) {
      for (const f of s.diagnosis?.(c) ?? []) emit(f.confidence, f.cause);
    },
  },
  buildInfo: {
    name: "mqtt_diagnostics_exporter_build_info",
    kind: "gauge",
    scope: "process",
    labels: ["version", "node_version", "aws_crt_version", "sdk_version"],
    help: "Build information of the exporter; constant 1.",
    read: (_all, emit, s) => emit(1, s.serviceVersion, process.version, awsCrtVersion, sdkVersion),
  },
  journalWriteErrors: {
    name: "mqtt_diagnostics_journal_write_errors",
    kind: "counter",
    scope: "process",
    labels: [],
    needs: "journalStats",
    help: "Failed journal writes.",
    read: (_all, emit, s) => emit(s.journalStats?.writeErrors() ?? 0),
  },
  lifecycleEventsDropped: {
    name: "mqtt_diagnostics_lifecycle_events_dropped",
    kind: "counter",
    scope: "process",
    labels: byConnection,
    needs: "lifecycleDrops",
    help: "AWS lifecycle events the observer dropped for the client ID: over its per-second intake, or oversized (a flood, possibly forged).",
    read(_all, emit, s) {
      for (const [connection, n] of s.lifecycleDrops?.() ?? []) emit(n, connection);
    },
  },
  sessionDuration: {
    name: "mqtt_client_session_duration_seconds",
    kind: "histogram",
    scope: "connection",
    labels: byConnection,
    unit: "s",
    buckets: SESSION_DURATION_BUCKETS,
    help: "Length of each ended session.",
    observe: (e) => e.sessionEndedSeconds,
  },
  timeToReconnect: {
    name: "mqtt_client_time_to_reconnect_seconds",
    kind: "histogram",
    scope: "connection",
    labels: byConnection,
    unit: "s",
    buckets: TIME_TO_RECONNECT_BUCKETS,
    help: "From a drop to the next successful connection.",
    observe: (e) => e.timeToReconnectSeconds,
  },
  probeRtt: {
    name: "mqtt_client_probe_rtt_seconds",
    kind: "histogram",
    scope: "connection",
    labels: byConnection,
    unit: "s",
    buckets: PROBE_RTT_BUCKETS,
    help: "Round trip of the probe message (publish to receipt).",
    observe: (e) => (e.line.kind === "probe" && e.line.rtt_seconds !== null ? e.line.rtt_seconds : undefined),
  },
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof CATALOG;
export const METRICS: readonly MetricDef[] = Object.values(CATALOG);

/** The metrics `sources` has what they need for. */
export const metricsFor = (sources: MetricSources): MetricDef[] => METRICS.filter((m) => m.needs === undefined || sources[m.needs] !== undefined);
