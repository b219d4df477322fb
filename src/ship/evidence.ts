/**
 * The evidence message a device ships (docs/evidence-shipping.md; its format is the fleet's
 * records contract): one JSON object of at most 128 KiB, AWS IoT Core's payload limit, carrying
 * journal lines numbered by a per-device `seq`. Written as text: each line is serialized once.
 */
import { EVIDENCE_TYPE, EVIDENCE_VERSION, MAX_EVIDENCE_BYTES } from "../fleet/records.js";

export { MAX_EVIDENCE_BYTES };

/** One journal event waiting to be shipped: its `seq` and its journal line, serialized once. */
export interface PendingEvent {
  seq: number;
  /** The line's `ts` and its rank among the events of that `ts`: where it is in the journal. */
  ts: string;
  rank: number;
  /** The journal line's JSON, exactly as the journal writes it. */
  line: string;
  /** UTF-8 bytes of this event's `{"seq":N,"line":…}` item. */
  bytes: number;
}

export function pendingEvent(seq: number, ts: string, rank: number, line: string): PendingEvent {
  return { seq, ts, rank, line, bytes: Buffer.byteLength(itemOf(seq, line)) };
}

function itemOf(seq: number, line: string): string {
  return `{"seq":${seq},"line":${line}}`;
}

function headOf(clientId: string, firstSeq: number, lastSeq: number, discardedTotal: number, sdkVersion: string | undefined): string {
  const sdk = sdkVersion === undefined ? "" : `"sdk_version":${JSON.stringify(sdkVersion)},`;
  return `{"type":"${EVIDENCE_TYPE}","version":${EVIDENCE_VERSION},"client_id":${JSON.stringify(clientId)},"first_seq":${firstSeq},"last_seq":${lastSeq},"discarded_total":${discardedTotal},${sdk}"events":[`;
}

export type Batch = { payload: string; count: number; bytes: number } | { oversized: true };

/**
 * The longest run of `events` from the front whose message fits in `maxBytes`. A first event
 * that alone does not fit is reported (`oversized`): the caller drops it and counts it.
 * `sdkVersion` (the device's aws-iot-device-sdk-v2) goes in the header when known.
 */
export function takeBatch(
  events: readonly PendingEvent[],
  clientId: string,
  discardedTotal: number,
  maxBytes = MAX_EVIDENCE_BYTES,
  sdkVersion?: string,
): Batch {
  const first = events[0];
  if (first === undefined) return { payload: "", count: 0, bytes: 0 };
  // The head's size grows with last_seq's digits only: compute it for the largest seq reachable.
  const fixed = Buffer.byteLength(headOf(clientId, first.seq, first.seq + events.length, discardedTotal, sdkVersion)) + 2;
  let size = fixed;
  let count = 0;
  for (const e of events) {
    const next = size + e.bytes + (count > 0 ? 1 : 0);
    if (next > maxBytes) break;
    size = next;
    count++;
  }
  if (count === 0) return { oversized: true };
  const taken = events.slice(0, count);
  const last = taken[taken.length - 1] as PendingEvent;
  const payload = `${headOf(clientId, first.seq, last.seq, discardedTotal, sdkVersion)}${taken.map((e) => itemOf(e.seq, e.line)).join(",")}]}`;
  return { payload, count, bytes: Buffer.byteLength(payload) };
}
