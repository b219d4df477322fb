import type { BatchObservableResult, Meter, Observable } from "@opentelemetry/api";
import { AWS_DISCONNECT_REASONS } from "../aws-join/events.js";
import { CAUSES } from "../diagnosis/types.js";
import { SESSION_DURATION_BUCKETS, TIME_TO_RECONNECT_BUCKETS } from "../metrics/buckets.js";
import type { DeviceState } from "./device-state.js";
import type { FleetObserver, FleetState } from "./fleet-state.js";

/** The fleet's instrument names (Prometheus adds `_total` to the counters). */
export const FLEET_NAMES = {
  devices: "mqtt_fleet_devices",
  connected: "mqtt_fleet_connected_devices",
  awsEvents: "mqtt_fleet_lifecycle_events",
  dropsByCause: "mqtt_fleet_drops_by_cause",
  byTransport: "mqtt_fleet_devices_by_transport",
  bySdkVersion: "mqtt_fleet_devices_by_sdk_version",
  evidenceEvents: "mqtt_fleet_evidence_events",
  evidenceDiscarded: "mqtt_fleet_evidence_discarded_events",
  rejected: "mqtt_fleet_rejected_messages",
  topDrops: "mqtt_fleet_top_device_drops",
  sessionDuration: "mqtt_fleet_session_duration_seconds",
  timeToReconnect: "mqtt_fleet_time_to_reconnect_seconds",
} as const;

/** Label values are bounded: AWS's documented reasons, the diagnosis's causes, the known transports; anything else is `other`. */
const REASONS: ReadonlySet<string> = new Set([...AWS_DISCONNECT_REASONS, "AUTHORIZATION_FAILED"]);
const FLEET_CAUSES: ReadonlySet<string> = new Set([...CAUSES, "healthy", "insufficient_data"]);
const TRANSPORTS: ReadonlySet<string> = new Set(["mtls", "mtls_alpn", "websocket_sigv4", "custom_auth", "tcp"]);
const bounded = (set: ReadonlySet<string>, v: string) => (set.has(v) ? v : "other");

/** SDK versions shown by name: the most common ones; the rest are summed as `other`, devices that ship none as `unknown`. */
export const SDK_VERSIONS_SHOWN = 10;

/** Devices by SDK version with at most `shown` versions named (most devices first, ties by version), the rest as `other`. */
export function topVersions(counts: ReadonlyMap<string, number>, shown = SDK_VERSIONS_SHOWN): Map<string, number> {
  const out = new Map<string, number>();
  const named = [...counts].filter(([v]) => v !== "unknown").sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  named.forEach(([v, n], i) => {
    const label = i < shown ? v : "other";
    out.set(label, (out.get(label) ?? 0) + n);
  });
  const unknown = counts.get("unknown");
  if (unknown !== undefined) out.set("unknown", unknown);
  return out;
}

/** The K devices with the most drops (ties by client ID), for one cause. */
function pushTop(top: DeviceState[], d: DeviceState, k: number): void {
  const before = (a: DeviceState, b: DeviceState) => a.drops > b.drops || (a.drops === b.drops && a.clientId < b.clientId);
  if (top.length === k && !before(d, top[k - 1] as DeviceState)) return;
  let i = top.length;
  while (i > 0 && before(d, top[i - 1] as DeviceState)) i--;
  top.splice(i, 0, d);
  if (top.length > k) top.pop();
}

export interface FleetInstruments {
  /** Feeds the fleet histograms: pass it to the FleetState. */
  readonly observer: FleetObserver;
  /** Starts reading the state at collection (call once the state exists). */
  attach(state: FleetState, rejected: () => number): void;
  detach(): void;
}

/**
 * The fleet's series, with bounded cardinality: totals by AWS reason, by cause and by transport,
 * connected devices, fleet-wide histograms, and the only per-device series, the top K devices by
 * drops for each cause. Everything else per device is on /fleet/devices. Read from the state at
 * each collection (the counts live in the per-device state, so a restore keeps them).
 */
export function fleetInstruments(meter: Meter, topK: number): FleetInstruments {
  const hist = (name: string, description: string, boundaries: readonly number[]) =>
    meter.createHistogram(name, { description, unit: "s", advice: { explicitBucketBoundaries: [...boundaries] } });
  const sessions = hist(
    FLEET_NAMES.sessionDuration,
    "Fleet-wide: length of device sessions, from AWS's connected and disconnected events of one session.",
    SESSION_DURATION_BUCKETS,
  );
  const reconnects = hist(
    FLEET_NAMES.timeToReconnect,
    "Fleet-wide: time from a device's disconnect to its next connect, as AWS saw them.",
    TIME_TO_RECONNECT_BUCKETS,
  );
  const devices = meter.createObservableGauge(FLEET_NAMES.devices, {
    description: "Devices by first cause (the diagnosis's most likely cause, or healthy / insufficient_data).",
  });
  const connected = meter.createObservableGauge(FLEET_NAMES.connected, { description: "Devices whose newest AWS session is open." });
  const awsEvents = meter.createObservableCounter(FLEET_NAMES.awsEvents, {
    description: "Distinct AWS lifecycle events of the fleet's devices, by event type and AWS reason.",
  });
  const dropsByCause = meter.createObservableGauge(FLEET_NAMES.dropsByCause, { description: "Drops of the devices with each first cause." });
  const byTransport = meter.createObservableGauge(FLEET_NAMES.byTransport, {
    description: "Devices by transport (from their shipped evidence; unknown when they ship none).",
  });
  const bySdk = meter.createObservableGauge(FLEET_NAMES.bySdkVersion, {
    description: `Devices by aws-iot-device-sdk-v2 version (from their shipped evidence): the ${SDK_VERSIONS_SHOWN} most common by name, the rest as other, unknown when they ship none.`,
  });
  const evidenceEvents = meter.createObservableCounter(FLEET_NAMES.evidenceEvents, { description: "Journal events the devices shipped, applied once each." });
  const discarded = meter.createObservableCounter(FLEET_NAMES.evidenceDiscarded, {
    description: "Events the devices' bounded backlogs discarded before shipping (their discarded_total, summed).",
  });
  const rejectedCounter = meter.createObservableCounter(FLEET_NAMES.rejected, {
    description: "Messages on the fleet's topics that were neither an AWS lifecycle event nor evidence.",
  });
  const top = meter.createObservableGauge(FLEET_NAMES.topDrops, {
    description: `Drops of the top ${topK} devices by drops of each cause (client_id, rank 1 = most).`,
  });
  const observables: Observable[] = [devices, connected, awsEvents, dropsByCause, byTransport, bySdk, evidenceEvents, discarded, rejectedCounter, top];
  let source: { state: FleetState; rejected: () => number } | undefined;

  const batch = (r: BatchObservableResult) => {
    if (source === undefined) return;
    const { state } = source;
    for (const [cause, n] of state.devicesByCause) r.observe(devices, n, { cause: bounded(FLEET_CAUSES, cause) });
    const reasons = new Map<string, number>();
    for (const [reason, n] of state.awsReasons) reasons.set(bounded(REASONS, reason), (reasons.get(bounded(REASONS, reason)) ?? 0) + n);
    for (const [reason, n] of reasons) r.observe(awsEvents, n, { event_type: reason === "AUTHORIZATION_FAILED" ? "connect_failed" : "disconnected", reason });
    let online = 0;
    let connects = 0;
    let shippedDiscarded = 0;
    let shipped = 0;
    const drops = new Map<string, number>();
    const transports = new Map<string, number>();
    const sdks = new Map<string, number>();
    const tops = new Map<string, DeviceState[]>();
    for (const { device, cause } of state.devices()) {
      if (device.connected) online++;
      connects += device.connects;
      shippedDiscarded += device.discardedTotal;
      shipped += device.evidenceEvents;
      const t = device.transport === null ? "unknown" : bounded(TRANSPORTS, device.transport);
      transports.set(t, (transports.get(t) ?? 0) + 1);
      const v = device.sdkVersion ?? "unknown";
      sdks.set(v, (sdks.get(v) ?? 0) + 1);
      if (cause === null) continue;
      const c = bounded(FLEET_CAUSES, cause);
      drops.set(c, (drops.get(c) ?? 0) + device.drops);
      if (device.drops === 0) continue;
      const list = tops.get(c) ?? [];
      pushTop(list, device, topK);
      tops.set(c, list);
    }
    r.observe(connected, online);
    r.observe(awsEvents, connects, { event_type: "connected", reason: "none" });
    for (const [cause, n] of drops) r.observe(dropsByCause, n, { cause });
    for (const [transport, n] of transports) r.observe(byTransport, n, { transport });
    for (const [sdk_version, n] of topVersions(sdks)) r.observe(bySdk, n, { sdk_version });
    for (const [cause, list] of tops) list.forEach((d, i) => r.observe(top, d.drops, { cause, rank: String(i + 1), client_id: d.clientId }));
    r.observe(evidenceEvents, shipped);
    r.observe(discarded, shippedDiscarded);
    r.observe(rejectedCounter, source.rejected());
  };

  return {
    observer: {
      lifecycle(_device, _record, obs) {
        if (obs.sessionSeconds !== undefined) sessions.record(obs.sessionSeconds);
        if (obs.reconnectSeconds !== undefined) reconnects.record(obs.reconnectSeconds);
      },
    },
    attach(state, rejected) {
      source = { state, rejected };
      meter.addBatchObservableCallback(batch, observables);
    },
    detach() {
      meter.removeBatchObservableCallback(batch, observables);
      source = undefined;
    },
  };
}
