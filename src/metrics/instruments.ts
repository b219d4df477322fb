import type { Attributes, BatchObservableResult, Meter, Observable } from "@opentelemetry/api";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { CollectorRegistry } from "../collector/registry.js";
import { capLabels } from "./label-cap.js";

export const EVENT_TYPES = ["connected", "resumed", "deep_reconnected"] as const;

export interface InstrumentOptions {
  serviceVersion: string;
  journalStats?: { writeErrors(): number } | undefined;
  diagnosisSource?: ((connection: string) => ReadonlyArray<{ cause: string; confidence: number }>) | undefined;
}

/** Instrument names as OpenTelemetry sees them; Prometheus adds `_total` to monotonic sums. */
export const NAMES = {
  connections: "mqtt_client_connections",
  drops: "mqtt_client_connection_drops",
  failures: "mqtt_client_connection_failures",
  attempts: "mqtt_client_connection_attempts",
  reconnectAttempts: "mqtt_client_reconnect_attempts",
  serverDisconnects: "mqtt_client_server_disconnects",
  published: "mqtt_client_messages_published",
  queued: "mqtt_client_messages_queued",
  probeTimeouts: "mqtt_client_probe_timeouts",
  connected: "mqtt_client_connected",
  uptime: "mqtt_client_session_uptime_seconds",
  lastDrop: "mqtt_client_last_drop_timestamp_seconds",
  keepAlive: "mqtt_client_negotiated_keep_alive_seconds",
  queuedOps: "mqtt_client_queued_operations",
  unackedOps: "mqtt_client_unacked_operations",
  diagnosis: "mqtt_client_diagnosis",
  buildInfo: "mqtt_diagnostics_exporter_build_info",
  journalWriteErrors: "mqtt_diagnostics_journal_write_errors",
  sessionDuration: "mqtt_client_session_duration_seconds",
  timeToReconnect: "mqtt_client_time_to_reconnect_seconds",
  probeRtt: "mqtt_client_probe_rtt_seconds",
} as const;

/**
 * Counters and gauges are observable: they read the collectors' state at collection time, so
 * recording costs nothing extra and a collector restored from the journal continues its counts
 * (no false reset for `increase()`). Histograms are synchronous, fed by each collector's events.
 */
export function registerInstruments(meter: Meter, registry: CollectorRegistry, options: InstrumentOptions): () => void {
  const counter = (name: string, description: string) => meter.createObservableCounter(name, { description });
  const gauge = (name: string, description: string, unit?: string) =>
    meter.createObservableGauge(name, { description, ...(unit !== undefined ? { unit } : {}) });

  const connections = counter(NAMES.connections, "Successful connections, by event type (connected, resumed, deep_reconnected).");
  const drops = counter(NAMES.drops, "Connection drops, by aws-crt error name (none without error, unknown for a non-CRT error).");
  const failures = counter(NAMES.failures, "Failed connection attempts, by aws-crt error name.");
  const attempts = counter(NAMES.attempts, "Connection attempts started.");
  const reconnectAttempts = counter(NAMES.reconnectAttempts, "Reconnect attempts, counted as the seed counts them (one per drop).");
  const serverDisconnects = counter(NAMES.serverDisconnects, "MQTT 5 DISCONNECT packets from the server, by reason code name.");
  const published = counter(NAMES.published, "Messages published while connected.");
  const queued = counter(NAMES.queued, "Messages queued while offline.");
  const probeTimeouts = counter(NAMES.probeTimeouts, "Probe round trips that timed out.");
  const connected = gauge(NAMES.connected, "1 while connected, 0 otherwise.");
  const uptime = gauge(NAMES.uptime, "Age of the current session in seconds; 0 while disconnected.", "s");
  const lastDrop = gauge(NAMES.lastDrop, "Unix time of the last drop in seconds; 0 before the first.", "s");
  const keepAlive = gauge(NAMES.keepAlive, "Keep-alive granted by the server in seconds; 0 until known.", "s");
  const queuedOps = gauge(NAMES.queuedOps, "Operations waiting in the client's queue (getOperationalStatistics).");
  const unackedOps = gauge(NAMES.unackedOps, "Operations sent and awaiting acknowledgement (getOperationalStatistics).");
  const buildInfo = gauge(NAMES.buildInfo, "Build information of the exporter; constant 1.");
  const perConnection: Observable[] = [
    connections, drops, failures, attempts, reconnectAttempts, serverDisconnects, published, queued, probeTimeouts,
    connected, uptime, lastDrop, keepAlive, queuedOps, unackedOps, buildInfo,
  ];
  const journalWriteErrors = options.journalStats ? counter(NAMES.journalWriteErrors, "Failed journal writes.") : undefined;
  const diagnosis = options.diagnosisSource ? gauge(NAMES.diagnosis, "Confidence (0..1) of each likely cause of drops.") : undefined;

  const observeConnection = (r: BatchObservableResult, c: MqttDiagnosticsCollector) => {
    const base: Attributes = { connection: c.connection };
    const t = c.totals;
    for (const type of EVENT_TYPES) r.observe(connections, c.connectionsByType.get(type) ?? 0, { ...base, event_type: type });
    for (const [type, n] of capLabels(c.connectionsByType)) {
      if (!(EVENT_TYPES as readonly string[]).includes(type)) r.observe(connections, n, { ...base, event_type: type });
    }
    for (const [name, n] of capLabels(c.dropsByErrorLabel)) r.observe(drops, n, { ...base, error_name: name });
    for (const [name, n] of capLabels(c.failuresByErrorLabel)) r.observe(failures, n, { ...base, error_name: name });
    for (const [reason, n] of capLabels(c.serverDisconnectsByReason)) r.observe(serverDisconnects, n, { ...base, reason });
    r.observe(attempts, c.connectionAttempts, base);
    r.observe(reconnectAttempts, t.total_reconnect_attempts, base);
    r.observe(published, t.messages_published, base);
    r.observe(queued, t.messages_queued, base);
    r.observe(probeTimeouts, c.probeTimeoutCount, base);
    r.observe(connected, c.isConnected ? 1 : 0, base);
    r.observe(uptime, c.sessionUptimeSeconds(), base);
    r.observe(lastDrop, c.lastDropUnixSeconds ?? 0, base);
    r.observe(keepAlive, c.negotiatedKeepAliveSeconds ?? 0, base);
    const ops = c.operationalStatistics;
    r.observe(queuedOps, ops?.incompleteOperationCount ?? 0, base);
    r.observe(unackedOps, ops?.unackedOperationCount ?? 0, base);
    if (diagnosis && options.diagnosisSource) {
      for (const f of options.diagnosisSource(c.connection)) r.observe(diagnosis, f.confidence, { ...base, cause: f.cause });
    }
  };

  const batch = (r: BatchObservableResult) => {
    r.observe(buildInfo, 1, { version: options.serviceVersion, node_version: process.version });
    if (journalWriteErrors && options.journalStats) r.observe(journalWriteErrors, options.journalStats.writeErrors());
    for (const c of registry.all()) observeConnection(r, c);
  };
  const observables = [...perConnection, ...(journalWriteErrors ? [journalWriteErrors] : []), ...(diagnosis ? [diagnosis] : [])];
  meter.addBatchObservableCallback(batch, observables);

  const sessionDuration = meter.createHistogram(NAMES.sessionDuration, { description: "Length of each ended session.", unit: "s" });
  const timeToReconnect = meter.createHistogram(NAMES.timeToReconnect, { description: "From a drop to the next successful connection.", unit: "s" });
  const probeRtt = meter.createHistogram(NAMES.probeRtt, { description: "Round trip of the probe message (publish to receipt).", unit: "s" });
  const detachers: (() => void)[] = [];
  const stopCreated = registry.onCreated((c) => {
    const attrs: Attributes = { connection: c.connection };
    detachers.push(
      c.onEvent((e) => {
        if (e.sessionEndedSeconds !== undefined) sessionDuration.record(e.sessionEndedSeconds, attrs);
        if (e.timeToReconnectSeconds !== undefined) timeToReconnect.record(e.timeToReconnectSeconds, attrs);
        if (e.line.kind === "probe" && e.line.rtt_seconds !== null) probeRtt.record(e.line.rtt_seconds, attrs);
      }),
    );
  });
  return () => {
    stopCreated();
    for (const d of detachers) d();
    meter.removeBatchObservableCallback(batch, observables);
  };
}
