import { describe, expect, it } from "vitest";
import { EVIDENCE_TYPE } from "../../../src/fleet/records.js";
import { MAX_EVIDENCE_BYTES, pendingEvent, takeBatch, type PendingEvent } from "../../../src/ship/evidence.js";

const line = (i: number, pad = 0) => JSON.stringify({ ts: "2026-03-01T00:00:00.000Z", kind: "connection_drop", error_name: `E${i}${"x".repeat(pad)}` });
const events = (n: number, pad = 0, from = 1): PendingEvent[] =>
  Array.from({ length: n }, (_, i) => pendingEvent(from + i, "2026-03-01T00:00:00.000Z", i + 1, line(i, pad)));

describe("takeBatch", () => {
  it("writes the contract's message: type, version, client ID, seq range, discard count, events with their lines", () => {
    const batch = takeBatch(events(3, 0, 101), "heater-1", 4);
    if ("oversized" in batch) throw new Error("oversized");
    const msg = JSON.parse(batch.payload) as Record<string, unknown>;
    expect(msg).toMatchObject({ type: EVIDENCE_TYPE, version: 1, client_id: "heater-1", first_seq: 101, last_seq: 103, discarded_total: 4 });
    expect((msg["events"] as { seq: number; line: { error_name: string } }[]).map((e) => [e.seq, e.line.error_name])).toEqual([
      [101, "E0"],
      [102, "E1"],
      [103, "E2"],
    ]);
    expect(batch.bytes).toBe(Buffer.byteLength(batch.payload));
  });

  it("carries the device's SDK version in the header when given, and nothing when not", () => {
    const batch = takeBatch(events(2), "heater-1", 0, MAX_EVIDENCE_BYTES, "1.21.0");
    if ("oversized" in batch) throw new Error("oversized");
    expect(JSON.parse(batch.payload)).toMatchObject({ client_id: "heater-1", sdk_version: "1.21.0", first_seq: 1, last_seq: 2 });
    const plain = takeBatch(events(2), "heater-1", 0);
    if ("oversized" in plain) throw new Error("oversized");
    expect(Object.keys(JSON.parse(plain.payload) as object)).not.toContain("sdk_version");
  });

  it("fits the batch with the SDK version's bytes counted", () => {
    const all = events(2000, 200);
    const batch = takeBatch(all, "heater-1", 0, MAX_EVIDENCE_BYTES, "1.21.0-rc.1");
    if ("oversized" in batch) throw new Error("oversized");
    expect(batch.bytes).toBeLessThanOrEqual(MAX_EVIDENCE_BYTES);
  });

  it("never exceeds 128 KiB, and takes as many events as fit", () => {
    const all = events(2000, 200);
    const batch = takeBatch(all, "heater-1", 0);
    if ("oversized" in batch) throw new Error("oversized");
    expect(batch.bytes).toBeLessThanOrEqual(MAX_EVIDENCE_BYTES);
    const oneMore = takeBatch(all.slice(0, batch.count + 1), "heater-1", 0, 10 * MAX_EVIDENCE_BYTES);
    if ("oversized" in oneMore) throw new Error("oversized");
    expect(oneMore.bytes).toBeGreaterThan(MAX_EVIDENCE_BYTES);
  });

  it("counts bytes, not characters (multi-byte client IDs and lines)", () => {
    const wide = Array.from({ length: 500 }, (_, i) => pendingEvent(i + 1, "t", 1, JSON.stringify({ m: "é".repeat(300) })));
    const batch = takeBatch(wide, "gerät-ü", 0);
    if ("oversized" in batch) throw new Error("oversized");
    expect(Buffer.byteLength(batch.payload)).toBeLessThanOrEqual(MAX_EVIDENCE_BYTES);
  });

  it("reports a first event that alone is too large", () => {
    expect(takeBatch(events(1, 200_000), "d", 0)).toEqual({ oversized: true });
  });

  it("an empty backlog gives an empty batch", () => {
    expect(takeBatch([], "d", 0)).toEqual({ payload: "", count: 0, bytes: 0 });
  });
});
