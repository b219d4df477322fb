import type { Attributes, BatchObservableResult, Meter, Observable } from "@opentelemetry/api";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import { HISTOGRAM_HELP } from "../collector/constants.js";
import { LIFECYCLE_EVENT_TYPES } from "../aws-join/events.js";
import { awsCrtVersion, packageVersion, sdkVersion } from "../version.js";
import { PROBE_RTT_BUCKETS, SESSION_DURATION_BUCKETS, TIME_TO_RECONNECT_BUCKETS } from "./buckets.js";
import { capLabels } from "./label-cap.js";
import { NAMES } from "./names.js";

export { NAMES } from "./names.js";
export const EVENT_TYPES = ["connected", "resumed", "deep_reconnected"] as const;
export const METER_NAME = "mqtt-diagnostics-exporter";

export interface InstrumentOptions {
  serviceVersion?: string;
  journalStats?: { writeErrors(): number } | undefined;
  /** The lifecycle observer's intake: events dropped by watched connection name. */
  lifecycleDrops?: (() => ReadonlyMap<string, number>) | undefined;
  diagnosisSource?: ((connection: string) => ReadonlyArray<{ cause: string; confidence: number }>) | undefined;
}

type Collector = MqttDiagnosticsCollector;
type Observe = (r: BatchObservableResult, c: Collector) => void;
interface Part {
  observables: Observable[];
  observe: Observe;
}

/** An instrument's HELP text, or its HELP text and unit. */
type Help = string | readonly [description: string, unit: string];
type HelpTable = Readonly<Partial<Record<keyof typeof NAMES, Help>>>;

/** Each per-connection counter's HELP text, by its name's key. */
const COUNTERS = {
  connections: "Successful connections, by event type (connected, resumed, deep_reconnected).",
  drops: "Connection drops, by aws-crt error name (none without error, unknown for a non-CRT error).",
  failures: "Failed connection attempts, by aws-crt error name.",
  attempts: "Connection attempts started.",
  // Published as is (test/golden/exposition.prom): kept word for word.
  reconnectAttempts: "Reconnect attempts, counted as the seed counts them (one per drop).",
  serverDisconnects: "MQTT 5 DISCONNECT packets from the server, by reason code name.",
  serverDisconnectReasons: "AWS IoT Core lifecycle disconnected events for the client ID, by AWS's disconnectReason.",
  foreignSessions: "Connections by another device with this connection's client ID (AWS connected events not from this client).",
  lifecycleEvents: "AWS IoT Core lifecycle events received for the client ID (duplicates dropped), by event type.",
  published: "Messages published while connected.",
  queued: "Messages queued while offline.",
  probeTimeouts: "Probe round trips that timed out.",
} as const satisfies HelpTable;

/** Each per-connection gauge's HELP text (and unit), by its name's key. */
const GAUGES = {
  connected: "1 while connected, 0 otherwise.",
  lastDrop: ["Unix time of the last drop in seconds; 0 before the first.", "s"],
  keepAlive: ["Keep-alive granted by the server in seconds; 0 until known.", "s"],
  queuedOps: "Operations waiting in the client's queue (getOperationalStatistics).",
  unackedOps: "Operations sent and awaiting acknowledgement (getOperationalStatistics).",
} as const satisfies HelpTable;

/** One instrument for each entry of a table, created in the table's order (the exposition's). */
function created<K extends keyof typeof NAMES>(table: Readonly<Record<K, Help>>, create: (name: string, options: { description: string; unit?: string }) => Observable): Record<K, Observable> {
  const entries = (Object.keys(table) as K[]).map((key) => {
    const help = table[key];
    return [key, create(NAMES[key], typeof help === "string" ? { description: help } : { description: help[0], unit: help[1] })] as const;
  });
  return Object.fromEntries(entries) as Record<K, Observable>;
}

/**
 * The counters and gauges of one connection that change only when it records something.
 * Counters and gauges are observable: they read the collector's state at collection time, so
 * recording costs nothing extra and a collector restored from the journal continues its counts
 * (no false reset for `increase()`).
 */
export function connectionInstruments(meter: Meter, options: InstrumentOptions): Part {
  const counters = created(COUNTERS, (name, o) => meter.createObservableCounter(name, o));
  const gauges = created(GAUGES, (name, o) => meter.createObservableGauge(name, o));
  const { connections, drops, failures, attempts, reconnectAttempts, serverDisconnects, serverDisconnectReasons: serverReasons, foreignSessions, lifecycleEvents, published, queued, probeTimeouts } = counters;
  const { connected, lastDrop, keepAlive, queuedOps, unackedOps } = gauges;
  const { diagnosisSource } = options;
  const diagnosis = diagnosisSource ? meter.createObservableGauge(NAMES.diagnosis, { description: "Confidence (0..1) of each likely cause of drops." }) : undefined;
  const observables: Observable[] = [...Object.values<Observable>(counters), ...Object.values<Observable>(gauges), ...(diagnosis ? [diagnosis] : [])];
  const observe: Observe = (r, c) => {
    const base: Attributes = { connection: c.connection };
    const t = c.totals;
    for (const type of EVENT_TYPES) r.observe(connections, c.connectionsByType.get(type) ?? 0, { ...base, event_type: type });
    for (const [type, n] of capLabels(c.connectionsByType)) {
      if (!(EVENT_TYPES as readonly string[]).includes(type)) r.observe(connections, n, { ...base, event_type: type });
    }
    for (const [name, n] of capLabels(c.dropsByErrorLabel)) r.observe(drops, n, { ...base, error_name: name });
    for (const [name, n] of capLabels(c.failuresByErrorLabel)) r.observe(failures, n, { ...base, error_name: name });
    for (const [reason, n] of capLabels(c.serverDisconnectsByReason)) r.observe(serverDisconnects, n, { ...base, reason });
    for (const [reason, n] of capLabels(c.serverDisconnectReasons)) r.observe(serverReasons, n, { ...base, reason });
    r.observe(foreignSessions, c.foreignSessionCount, base);
    for (const type of LIFECYCLE_EVENT_TYPES) r.observe(lifecycleEvents, c.lifecycleEventsByType.get(type) ?? 0, { ...base, event_type: type });
    r.observe(attempts, c.connectionAttempts, base);
    r.observe(reconnectAttempts, t.total_reconnect_attempts, base);
    r.observe(published, t.messages_published, base);
    r.observe(queued, t.messages_queued, base);
    r.observe(probeTimeouts, c.probeTimeoutCount, base);
    r.observe(connected, c.isConnected ? 1 : 0, base);
    r.observe(lastDrop, c.lastDropUnixSeconds ?? 0, base);
    r.observe(keepAlive, c.negotiatedKeepAliveSeconds ?? 0, base);
    const ops = c.operationalStatistics;
    r.observe(queuedOps, ops?.incompleteOperationCount ?? 0, base);
    r.observe(unackedOps, ops?.unackedOperationCount ?? 0, base);
    if (diagnosis && diagnosisSource) {
      for (const f of diagnosisSource(c.connection)) r.observe(diagnosis, f.confidence, { ...base, cause: f.cause });
    }
  };
  return { observables, observe };
}

/** Series that change with the clock (session uptime) or belong to the process (build, journal). */
export function processInstruments(meter: Meter, options: InstrumentOptions): { observables: Observable[]; observe: (r: BatchObservableResult, all: Iterable<Collector>) => void } {
  const uptime = meter.createObservableGauge(NAMES.uptime, { description: "Age of the current session in seconds; 0 while disconnected.", unit: "s" });
  const buildInfo = meter.createObservableGauge(NAMES.buildInfo, { description: "Build information of the exporter; constant 1." });
  const { journalStats } = options;
  const journalWriteErrors = journalStats ? meter.createObservableCounter(NAMES.journalWriteErrors, { description: "Failed journal writes." }) : undefined;
  const { lifecycleDrops } = options;
  const dropped = lifecycleDrops
    ? meter.createObservableCounter(NAMES.lifecycleEventsDropped, { description: "AWS lifecycle events the observer dropped for the client ID: over its per-second intake, or oversized (a flood, possibly forged)." })
    : undefined;
  const version = options.serviceVersion ?? packageVersion;
  return {
    observables: [uptime, buildInfo, ...(journalWriteErrors ? [journalWriteErrors] : []), ...(dropped ? [dropped] : [])],
    observe(r, all) {
      r.observe(buildInfo, 1, { version, node_version: process.version, aws_crt_version: awsCrtVersion, sdk_version: sdkVersion });
      if (journalWriteErrors && journalStats) r.observe(journalWriteErrors, journalStats.writeErrors());
      if (dropped && lifecycleDrops) for (const [connection, n] of lifecycleDrops()) r.observe(dropped, n, { connection });
      for (const c of all) r.observe(uptime, c.sessionUptimeSeconds(), { connection: c.connection });
    },
  };
}

/**
 * Histograms are synchronous, fed by each collector's events. Boundaries are given as advice as
 * well as by the views, so an application's own MeterProvider gets them without our views.
 */
export function histogramRecorder(meter: Meter): (c: Collector) => () => void {
  const histogram = (name: string, description: string, boundaries: readonly number[]) =>
    meter.createHistogram(name, { description, unit: "s", advice: { explicitBucketBoundaries: [...boundaries] } });
  const sessionDuration = histogram(NAMES.sessionDuration, HISTOGRAM_HELP.sessionDuration, SESSION_DURATION_BUCKETS);
  const timeToReconnect = histogram(NAMES.timeToReconnect, HISTOGRAM_HELP.timeToReconnect, TIME_TO_RECONNECT_BUCKETS);
  const probeRtt = histogram(NAMES.probeRtt, HISTOGRAM_HELP.probeRtt, PROBE_RTT_BUCKETS);
  return (c) => {
    const attrs: Attributes = { connection: c.connection };
    return c.onEvent((e) => {
      if (e.sessionEndedSeconds !== undefined) sessionDuration.record(e.sessionEndedSeconds, attrs);
      if (e.timeToReconnectSeconds !== undefined) timeToReconnect.record(e.timeToReconnectSeconds, attrs);
      if (e.line.kind === "probe" && e.line.rtt_seconds !== null) probeRtt.record(e.line.rtt_seconds, attrs);
    });
  };
}
