import type { Clock } from "../clock.js";
import { DEFAULT_JOIN_WINDOW_MS } from "../aws-join/join.js";
import { DeviceState, type DeviceSnapshot, type LifecycleObservation } from "./device-state.js";
import { deviceDiagnosis, firstCause, type FleetCause } from "./device-view.js";
import { checkFleetSnapshot } from "./fleet-snapshot.js";
import type { FleetRecord, FleetSink } from "./records.js";

/** What the fleet's instruments hear as records are applied (fleet histograms, counters). */
export interface FleetObserver {
  lifecycle?(device: DeviceState, record: Extract<FleetRecord, { kind: "lifecycle" }>, obs: LifecycleObservation): void;
  evidence?(device: DeviceState, applied: number): void;
}

export interface FleetSnapshot {
  version: 1;
  devices: DeviceSnapshot[];
}

/** A device is diagnosed once its events have had a join window to settle, or after this long anyway. */
const MAX_SETTLE_MS = 60_000;

interface Entry {
  device: DeviceState;
  /** The device's cause as of `causeVersion`, null until first diagnosed. */
  cause: FleetCause | null;
  causeVersion: number;
  changedAt: number;
  dirtySince: number;
}

/**
 * Every device of the fleet, by client ID: records in, compact per-device state, and each
 * device's first cause from the project's diagnosis, recomputed (a bounded amount per call)
 * only for devices that changed and whose events had a join window to settle. Counts of devices
 * by cause and of AWS reasons are kept as records arrive, so metrics cost nothing per device.
 */
export class FleetState implements FleetSink {
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<Entry>();
  /** Devices by first cause (devices not yet diagnosed are not counted). */
  readonly devicesByCause = new Map<FleetCause, number>();
  /** Distinct AWS events by reason, fleet-wide; evidence events applied; records ignored as repeats. */
  readonly awsReasons = new Map<string, number>();
  evidenceEvents = 0;
  repeats = 0;
  skippedEvidenceEvents = 0;

  constructor(
    private readonly clock: Clock,
    private readonly observer: FleetObserver = {},
    readonly windowMs = DEFAULT_JOIN_WINDOW_MS,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  private entry(clientId: string): Entry {
    let e = this.entries.get(clientId);
    if (e === undefined) {
      e = { device: new DeviceState(clientId), cause: null, causeVersion: -1, changedAt: 0, dirtySince: 0 };
      this.entries.set(clientId, e);
    }
    return e;
  }

  private touched(e: Entry): void {
    const now = this.clock.now();
    e.changedAt = now;
    if (!this.dirty.has(e)) {
      e.dirtySince = now;
      this.dirty.add(e);
    }
  }

  apply(record: FleetRecord): void {
    const e = this.entry(record.clientId);
    if (record.kind === "lifecycle") {
      const obs = e.device.applyLifecycle(record.event);
      if (obs === null) {
        this.repeats++;
        return;
      }
      const ev = record.event;
      const reason = ev.eventType === "disconnected" ? ev.disconnectReason : ev.eventType === "connect_failed" ? ev.connectFailureReason : null;
      if (reason !== null) this.awsReasons.set(reason, (this.awsReasons.get(reason) ?? 0) + 1);
      this.observer.lifecycle?.(e.device, record, obs);
    } else {
      this.skippedEvidenceEvents += record.skippedEvents ?? 0;
      const applied = e.device.applyEvidence(record.message);
      if (applied === 0) {
        this.repeats++;
        return;
      }
      this.evidenceEvents += applied;
      this.observer.evidence?.(e.device, applied);
    }
    this.touched(e);
  }

  private setCause(e: Entry, cause: FleetCause | null): void {
    if (e.cause === cause) return;
    if (e.cause !== null) {
      const n = (this.devicesByCause.get(e.cause) ?? 1) - 1;
      if (n === 0) this.devicesByCause.delete(e.cause);
      else this.devicesByCause.set(e.cause, n);
    }
    if (cause !== null) this.devicesByCause.set(cause, (this.devicesByCause.get(cause) ?? 0) + 1);
    e.cause = cause;
  }

  /**
   * Diagnoses changed devices whose events have settled, at most `maxDevices` of them and for at
   * most `maxMs` of CPU time (the rest wait for the next call: a diagnosis costs ~0.1-1 ms, so
   * the live service bounds each turn); `all` diagnoses every changed device now (replay, a
   * summary). Returns how many devices are still waiting.
   */
  refresh(options: { maxDevices?: number; maxMs?: number; all?: boolean } = {}): number {
    const now = this.clock.now();
    let budget = options.maxDevices ?? Infinity;
    const until = options.maxMs === undefined ? Infinity : performance.now() + options.maxMs;
    let done = 0;
    for (const e of this.dirty) {
      if (budget <= 0 || (++done % 8 === 0 && performance.now() > until)) break;
      const settled = now - e.changedAt > this.windowMs || now - e.dirtySince > MAX_SETTLE_MS;
      if (!settled && options.all !== true) continue;
      this.dirty.delete(e);
      budget--;
      if (e.causeVersion === e.device.version) continue;
      e.causeVersion = e.device.version;
      this.setCause(e, firstCause(deviceDiagnosis(e.device, now)));
    }
    return this.dirty.size;
  }

  device(clientId: string): DeviceState | undefined {
    return this.entries.get(clientId)?.device;
  }

  causeOf(clientId: string): FleetCause | null {
    return this.entries.get(clientId)?.cause ?? null;
  }

  /** Every device with its cause (null until diagnosed), in no particular order. */
  *devices(): IterableIterator<{ device: DeviceState; cause: FleetCause | null }> {
    for (const e of this.entries.values()) yield { device: e.device, cause: e.cause };
  }

  /** The state of these devices (all when omitted), for a checkpoint. */
  snapshot(clientIds?: Iterable<string>): FleetSnapshot {
    const ids = clientIds ?? this.entries.keys();
    const devices: DeviceSnapshot[] = [];
    for (const id of ids) {
      const e = this.entries.get(id);
      if (e !== undefined) devices.push(e.device.snapshot());
    }
    return { version: 1, devices };
  }

  /**
   * Replaces the devices a checkpoint holds (others are untouched): their counts leave the fleet
   * totals and the checkpoint's come in, so nothing is counted twice. Throws a one-line Error
   * when the checkpoint is not one (checked before anything changes).
   */
  restore(snapshot: unknown): void {
    const checked = checkFleetSnapshot(snapshot);
    for (const s of checked.devices) {
      const old = this.entries.get(s.client_id);
      if (old !== undefined) {
        this.forget(old.device.reasons, -1);
        this.setCause(old, null);
        this.dirty.delete(old);
      }
      const e: Entry = { device: DeviceState.restore(s), cause: null, causeVersion: -1, changedAt: 0, dirtySince: 0 };
      this.entries.set(s.client_id, e);
      this.forget(e.device.reasons, 1);
      this.touched(e);
    }
  }

  /** Drops a device (its shard moved to another replica); its counts leave the totals. */
  remove(clientId: string): void {
    const e = this.entries.get(clientId);
    if (e === undefined) return;
    this.forget(e.device.reasons, -1);
    this.setCause(e, null);
    this.dirty.delete(e);
    this.entries.delete(clientId);
  }

  private forget(reasons: ReadonlyMap<string, number>, sign: 1 | -1): void {
    for (const [k, v] of reasons) {
      const n = (this.awsReasons.get(k) ?? 0) + sign * v;
      if (n <= 0) this.awsReasons.delete(k);
      else this.awsReasons.set(k, n);
    }
  }
}
