/**
 * What flows into the fleet state (issue 23): AWS IoT Core's lifecycle events, and the evidence
 * devices ship (their own journal lines, numbered per device). The seam between the sources
 * (MQTT, Kinesis) and the state; the wire formats are in docs/fleet.md.
 */

import { parseLifecycleEvent, type LifecycleEvent } from "../aws-join/events.js";
import type { JournalEvent } from "../collector/event-model.js";
import { jsonOf, NOT_JSON } from "../text/json-text.js";
import { toJournalEvent } from "../journal/parse.js";

export type AwsLifecycleEvent = LifecycleEvent;

/** AWS IoT Core's payload limit: a larger evidence message cannot have come through AWS. */
export const MAX_EVIDENCE_BYTES = 131_072;
export const EVIDENCE_TYPE = "mqtt-diagnostics-evidence";
export const EVIDENCE_VERSION = 1;
/** The default topic a device ships its evidence on (`${clientId}` is replaced). */
export const DEFAULT_EVIDENCE_TOPIC = "mqtt-diagnostics/evidence/${clientId}";

/** One shipped journal event: `seq` numbers the device's shipped events from 1, +1 each. */
export interface EvidenceEvent {
  seq: number;
  line: JournalEvent;
}

/** A batch of a device's journal events, as the device publishes it (client ID in the payload). */
export interface EvidenceMessage {
  type: typeof EVIDENCE_TYPE;
  version: typeof EVIDENCE_VERSION;
  client_id: string;
  first_seq: number;
  last_seq: number;
  /** Monotonic: events the device's bounded backlog had to discard since it started counting. */
  discarded_total: number;
  /** The device's aws-iot-device-sdk-v2 version, when it ships it (absent: unknown). */
  sdk_version?: string;
  events: EvidenceEvent[];
}

export type FleetRecord =
  | { kind: "lifecycle"; clientId: string; event: AwsLifecycleEvent; receivedAt: number }
  /** `skippedEvents`: events of the message that were not valid journal lines (dropped, counted). */
  | { kind: "evidence"; clientId: string; message: EvidenceMessage; receivedAt: number; skippedEvents?: number };

/** Synchronous and cheap: a source calls it once per record, in the order the device's records came. */
export interface FleetSink {
  apply(record: FleetRecord): void;
}

/** Where records come from: MQTT (small fleets) or Kinesis (large ones). */
export interface FleetSource {
  start(sink: FleetSink): Promise<void>;
  stop(): Promise<void>;
}

/** Why a payload is not a record; `ignore` marks AWS messages that are valid but not ours (subscribe events). */
export interface FleetPayloadError {
  error: string;
  ignore?: true;
}

/** Client IDs are at most 128 bytes at AWS; the lifecycle parser allows 256 characters. */
const MAX_CLIENT_ID = 256;
/** Journal kinds a device never ships: AWS's events come from AWS. */
const NOT_SHIPPED: ReadonlySet<string> = new Set(["lifecycle", "checkpoint"]);
const AWS_OTHER_EVENTS: ReadonlySet<string> = new Set(["subscribed", "unsubscribed"]);

const count = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const seqOf = (v: unknown): v is number => count(v) && v >= 1;
const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
/** A version as a package manager writes it (`1.21.0`, `1.22.0-rc.1`); anything else is not one and is left out. */
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;
export const sdkVersionOf = (v: unknown): string | undefined => (typeof v === "string" && VERSION.test(v) ? v : undefined);

/** An evidence message's envelope and events checked; events that are not journal lines are dropped and counted. */
export function parseEvidence(value: Record<string, unknown>): { message: EvidenceMessage; skipped: number } | FleetPayloadError {
  if (own(value, "version") !== EVIDENCE_VERSION)
    return { error: `evidence: version ${JSON.stringify(own(value, "version")) ?? "absent"} is not ${EVIDENCE_VERSION}` };
  const clientId = own(value, "client_id");
  if (typeof clientId !== "string" || clientId === "" || clientId.length > MAX_CLIENT_ID) return { error: "evidence: client_id is absent or invalid" };
  const [first, last, discarded, events] = [own(value, "first_seq"), own(value, "last_seq"), own(value, "discarded_total"), own(value, "events")];
  if (!seqOf(first) || !seqOf(last) || last < first) return { error: "evidence: first_seq/last_seq must be integers >= 1, first <= last" };
  if (!count(discarded)) return { error: "evidence: discarded_total must be a non-negative integer" };
  if (!Array.isArray(events)) return { error: "evidence: events must be an array" };
  const out: EvidenceEvent[] = [];
  let skipped = 0;
  let prev = 0;
  for (const raw of events as unknown[]) {
    const e = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const seq = own(e, "seq");
    const line = own(e, "line");
    const kind = typeof line === "object" && line !== null ? own(line as Record<string, unknown>, "kind") : undefined;
    const parsed = seqOf(seq) && seq > prev && !NOT_SHIPPED.has(String(kind)) ? toJournalEvent(line) : undefined;
    if (parsed === undefined || !parsed.ok) {
      skipped++;
      continue;
    }
    prev = seq as number;
    out.push({ seq: seq as number, line: parsed.event });
  }
  const message: EvidenceMessage = {
    type: EVIDENCE_TYPE,
    version: EVIDENCE_VERSION,
    client_id: clientId,
    first_seq: first,
    last_seq: last,
    discarded_total: discarded,
    events: out,
  };
  const sdk = sdkVersionOf(own(value, "sdk_version"));
  if (sdk !== undefined) message.sdk_version = sdk;
  return { message, skipped };
}

/**
 * One message from a source (an MQTT payload, a Kinesis record's data, a line of an exported
 * file) as a fleet record: an evidence message by its `type`, an AWS lifecycle event by
 * `eventType` and `clientId`. Never throws.
 */
export function parseFleetPayload(payload: Buffer | string, receivedAt: number): FleetRecord | FleetPayloadError {
  const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.length;
  if (size > MAX_EVIDENCE_BYTES) return { error: `payload of ${size} bytes is over AWS IoT Core's ${MAX_EVIDENCE_BYTES}` };
  const value = jsonOf(typeof payload === "string" ? payload : payload.toString("utf8"));
  if (value === NOT_JSON) return { error: "not JSON" };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "not a JSON object" };
  const o = value as Record<string, unknown>;
  if (own(o, "type") === EVIDENCE_TYPE) {
    const parsed = parseEvidence(o);
    if ("error" in parsed) return parsed;
    const record: FleetRecord = { kind: "evidence", clientId: parsed.message.client_id, message: parsed.message, receivedAt };
    if (parsed.skipped > 0) record.skippedEvents = parsed.skipped;
    return record;
  }
  const eventType = own(o, "eventType");
  if (typeof eventType === "string" && AWS_OTHER_EVENTS.has(eventType)) return { error: `AWS ${eventType} event`, ignore: true };
  const parsed = parseLifecycleEvent(o);
  if (!parsed.ok) return { error: parsed.error };
  return { kind: "lifecycle", clientId: parsed.event.clientId, event: parsed.event, receivedAt };
}
