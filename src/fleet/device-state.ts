import { compareLifecycle, parseLifecycleEvent, type LifecycleEvent } from "../aws-join/events.js";
import type { JournalEvent } from "../collector/event-model.js";
import { toJournalEvent } from "../journal/parse.js";
import type { EvidenceMessage } from "./records.js";

/** AWS events kept per device: enough sessions for the diagnosis's patterns (3+ drops), bounded memory. */
export const MAX_AWS_EVENTS = 16;
/** Shipped journal lines kept per device (successes, drops, failures, stops). */
export const MAX_DEVICE_LINES = 16;
/** Dedupe keys remembered per device (32-bit hashes): a repeat older than this many events counts again. */
export const SEEN_KEYS = 48;

/** Journal kinds the join and diagnosis read; the rest of a device's evidence is counted only. */
const KEPT: ReadonlySet<string> = new Set(["connection_success", "connection_drop", "connection_failure", "connection_stopped"]);

/** The fleet-wide measurements one new AWS event yields (fleet histograms). */
export interface LifecycleObservation {
  sessionSeconds?: number;
  reconnectSeconds?: number;
}

/** One device's checkpoint (JSON): everything needed to continue as if never restarted. */
export interface DeviceSnapshot {
  client_id: string;
  last_seq: number;
  discarded_total: number;
  aws: object[];
  lines: object[];
  seen: number[];
  reasons: Record<string, number>;
  aws_drops: number;
  evidence_drops: number;
  connects: number;
  evidence_events: number;
  transport: string | null;
  /** Absent in checkpoints written before devices shipped it. */
  sdk_version?: string | null;
}

/** FNV-1a, 32 bits, over `text` from the running hash `h` (parts hashed in a row hash as their concatenation). */
function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * The key AWS's duplicate deliveries share (a failed attempt has no version: its time stands in):
 * `eventType|sessionIdentifier|version` in 4 bytes, hashed part by part (no string built per event).
 */
export function dedupeKey(e: LifecycleEvent): number {
  let h = fnv(fnv(fnv(0x811c9dc5, e.eventType), "|"), e.sessionIdentifier);
  h = fnv(h, e.eventType === "connect_failed" ? "|t" : "|");
  return fnv(h, String(e.eventType === "connect_failed" ? e.timestamp : e.versionNumber)) >>> 0;
}

/** One copy of each SDK version string, whatever number of devices ship it (bounded: past this, each device keeps its own). */
const SDK_VERSIONS = new Map<string, string>();
const MAX_INTERNED = 256;
function interned(v: string): string {
  const known = SDK_VERSIONS.get(v);
  if (known !== undefined) return known;
  if (SDK_VERSIONS.size < MAX_INTERNED) SDK_VERSIONS.set(v, v);
  return v;
}

const isDrop = (e: LifecycleEvent) => e.eventType === "disconnected" && !e.clientInitiatedDisconnect;

/**
 * One device's compact state in the fleet: its newest AWS events and shipped journal lines
 * (bounded rings, ~10 KB at most), the counts the metrics read, and the watermarks that make
 * repeats harmless (AWS's duplicates by key, the device's evidence by `seq`). No collector: one
 * is built from this state only when a device is diagnosed or shown.
 */
export class DeviceState {
  /** AWS's events in AWS's order (versionNumber), newest last. */
  aws: LifecycleEvent[] = [];
  /** Shipped journal lines (kinds in KEPT), in seq order. */
  lines: JournalEvent[] = [];
  private seen = new Uint32Array(SEEN_KEYS);
  private seenCount = 0;
  lastSeq = 0;
  discardedTotal = 0;
  /** Distinct AWS events by reason (`disconnectReason`, `connectFailureReason`). */
  reasons = new Map<string, number>();
  awsDrops = 0;
  evidenceDrops = 0;
  connects = 0;
  evidenceEvents = 0;
  /** From the newest shipped success that named one; null when the device ships nothing. */
  transport: string | null = null;
  /** The aws-iot-device-sdk-v2 version of its newest evidence that named one; null when unknown. */
  sdkVersion: string | null = null;
  /** Bumped on every change: the fleet recomputes a device's cause only when it moved. */
  version = 0;

  constructor(readonly clientId: string) {}

  /** Drops as the fleet ranks devices: AWS's count, or the device's own when it saw more. */
  get drops(): number {
    return Math.max(this.awsDrops, this.evidenceDrops);
  }

  /** Connected when AWS's newest session (by versionNumber) has no disconnect yet. */
  get connected(): boolean {
    for (let i = this.aws.length - 1; i >= 0; i--) {
      const e = this.aws[i] as LifecycleEvent;
      if (e.eventType !== "connect_failed") return e.eventType === "connected";
    }
    return false;
  }

  private remember(key: number): boolean {
    const n = Math.min(this.seenCount, SEEN_KEYS);
    for (let i = 0; i < n; i++) if (this.seen[i] === key) return false;
    this.seen[this.seenCount++ % SEEN_KEYS] = key;
    return true;
  }

  /** An AWS event; null for a repeat. Returns what it adds to the fleet histograms. */
  applyLifecycle(input: LifecycleEvent): LifecycleObservation | null {
    if (!this.remember(dedupeKey(input))) return null;
    // The parsed event is the device's own copy already (a source parses each record afresh).
    const event = input.clientId === this.clientId ? input : { ...input, clientId: this.clientId };
    // One copy of the strings a device's events repeat (its certificate, usually its address).
    const last = this.aws[this.aws.length - 1];
    if (last !== undefined && last.principalIdentifier === event.principalIdentifier) event.principalIdentifier = last.principalIdentifier;
    if (last !== undefined && "ipAddress" in last && "ipAddress" in event && last.ipAddress === event.ipAddress) event.ipAddress = last.ipAddress;
    const obs = this.observe(event);
    if (event.eventType === "connected") this.connects++;
    else {
      const reason = event.eventType === "disconnected" ? event.disconnectReason : event.connectFailureReason;
      this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
      if (isDrop(event)) this.awsDrops++;
    }
    this.insert(event);
    this.version++;
    return obs;
  }

  // Sorted insert (at most MAX_AWS_EVENTS, from the end: events mostly come in order); the oldest goes.
  private insert(event: LifecycleEvent): void {
    const { aws } = this;
    let i = aws.length;
    while (i > 0 && compareLifecycle(aws[i - 1] as LifecycleEvent, event) > 0) i--;
    if (i === 0 && aws.length >= MAX_AWS_EVENTS) return;
    aws.splice(i, 0, event);
    if (aws.length > MAX_AWS_EVENTS) aws.shift();
  }

  /** A session's length when its other end is known; the time to reconnect after the previous session. */
  private observe(e: LifecycleEvent): LifecycleObservation {
    const out: LifecycleObservation = {};
    if (e.eventType === "connect_failed") return out;
    const other = this.aws.find((x) => x.sessionIdentifier === e.sessionIdentifier && x.eventType !== e.eventType && x.eventType !== "connect_failed");
    if (other !== undefined) out.sessionSeconds = Math.abs(e.timestamp - other.timestamp) / 1000;
    if (e.eventType === "connected") {
      let prev: LifecycleEvent | undefined;
      for (const x of this.aws)
        if (x.eventType !== "connect_failed" && x.versionNumber < e.versionNumber && (prev === undefined || compareLifecycle(prev, x) < 0)) prev = x;
      if (prev?.eventType === "disconnected" && prev.timestamp <= e.timestamp) out.reconnectSeconds = (e.timestamp - prev.timestamp) / 1000;
    }
    return out;
  }

  /** The device's events with `seq` above the highest applied; returns how many were new. */
  applyEvidence(message: EvidenceMessage): number {
    let applied = 0;
    for (const { seq, line } of message.events) {
      if (seq <= this.lastSeq) continue;
      this.lastSeq = seq;
      applied++;
      this.evidenceEvents++;
      if (line.kind === "connection_drop") this.evidenceDrops++;
      if (line.kind === "connection_success" && typeof line.transport === "string") this.transport = line.transport;
      if (!KEPT.has(line.kind)) continue;
      this.lines.push(line);
      if (this.lines.length > MAX_DEVICE_LINES) this.lines.shift();
    }
    if (message.sdk_version !== undefined && message.sdk_version !== this.sdkVersion) this.sdkVersion = interned(message.sdk_version);
    if (message.discarded_total > this.discardedTotal) {
      this.discardedTotal = message.discarded_total;
      applied = Math.max(applied, 1);
    }
    if (applied > 0) this.version++;
    return applied;
  }

  snapshot(): DeviceSnapshot {
    return {
      client_id: this.clientId,
      last_seq: this.lastSeq,
      discarded_total: this.discardedTotal,
      aws: this.aws.map((e) => ({ ...e })),
      lines: this.lines.map((l) => ({ ...l })),
      seen: Array.from(this.seen.subarray(0, Math.min(this.seenCount, SEEN_KEYS))),
      reasons: Object.fromEntries(this.reasons),
      aws_drops: this.awsDrops,
      evidence_drops: this.evidenceDrops,
      connects: this.connects,
      evidence_events: this.evidenceEvents,
      transport: this.transport,
      sdk_version: this.sdkVersion,
    };
  }

  /** A device from its checkpoint; events and lines are checked again (a bad one is left out). */
  static restore(s: DeviceSnapshot): DeviceState {
    const d = new DeviceState(s.client_id);
    d.lastSeq = s.last_seq;
    d.discardedTotal = s.discarded_total;
    for (const raw of s.aws) {
      const parsed = parseLifecycleEvent(raw);
      if (parsed.ok) d.insert({ ...parsed.event, clientId: d.clientId });
    }
    for (const raw of s.lines) {
      const parsed = toJournalEvent({ ...raw });
      if (parsed.ok) d.lines.push(parsed.event);
    }
    d.lines = d.lines.slice(-MAX_DEVICE_LINES);
    for (const key of s.seen.slice(-SEEN_KEYS)) d.seen[d.seenCount++ % SEEN_KEYS] = key >>> 0;
    for (const [k, v] of Object.entries(s.reasons)) d.reasons.set(k, v);
    d.awsDrops = s.aws_drops;
    d.evidenceDrops = s.evidence_drops;
    d.connects = s.connects;
    d.evidenceEvents = s.evidence_events;
    d.transport = s.transport;
    d.sdkVersion = typeof s.sdk_version === "string" ? interned(s.sdk_version) : null;
    return d;
  }
}
