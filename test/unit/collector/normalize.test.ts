import { describe, expect, it } from "vitest";
import { lineOf } from "../../../src/collector/event-model.js";
import { inShape, normalizeLine } from "../../../src/collector/normalize.js";

const TS = "2026-03-01T12:00:00.000Z";
const AT = Date.parse(TS);

describe("normalizeLine", () => {
  it("hands back a line this service wrote as it is, without a copy", () => {
    const line = lineOf("connection_drop", TS, "default", { error_name: "AWS_IO_SOCKET_CLOSED", error_message: "closed", error_code: 1051 });
    expect(normalizeLine(line, AT)).toBe(line);
    const publish = lineOf("publish", TS, "default", {});
    expect(normalizeLine(publish, AT)).toBe(publish);
  });

  it("hands back successes, failures and stops already in shape as they are, and repairs only what differs", () => {
    const success = lineOf("connection_success", TS, "dev", { event_type: "resumed", transport: "websocket_sigv4", client_id: "c" });
    expect(normalizeLine(success, AT)).toBe(success);
    const failure = lineOf("connection_failure", TS, "default", { error_name: "AWS_IO_DNS_QUERY_FAILED", error_message: "dns", error_code: 1059 });
    expect(normalizeLine(failure, AT)).toBe(failure);
    const stopped = lineOf("connection_stopped", TS, "default", { reason: "client stopped" });
    expect(normalizeLine(stopped, AT)).toBe(stopped);
    // A drop without a CRT name keeps only its message: a line with a code is repaired, in place of keys.
    const plain = lineOf("connection_drop", TS, "default", { error_name: null, error_message: "x", error_code: 3 });
    const fixed = normalizeLine(plain, AT);
    expect(fixed).not.toBe(plain);
    expect(Object.keys(fixed)).toEqual(Object.keys(plain));
    expect(fixed).toMatchObject({ error_name: null, error_message: "x", error_code: null });
    const longReason = normalizeLine(lineOf("connection_stopped", TS, "default", { reason: "r".repeat(300) }), AT);
    expect(longReason.kind === "connection_stopped" && longReason.reason?.length).toBe(256);
    // Only the ts is not canonical: a copy with the ts alone changed.
    const late = { ...success, ts: "2026-03-01T12:00:00Z" };
    expect(normalizeLine(late, AT)).toEqual({ ...success, ts: TS });
  });

  it("repairs a foreign line: canonical ts, the original's error shape, bounded names and messages", () => {
    const line = {
      ...lineOf("connection_drop", "2026-03-01T12:00:00Z", "default", {
        error_name: "",
        error_code: 7,
        error_message: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
      }),
    };
    const fixed = normalizeLine(line, AT);
    expect(fixed).not.toBe(line);
    expect(fixed).toMatchObject({ ts: TS, error_name: null, error_code: null, error_message: "[PEM redacted]" });
    const crt = normalizeLine(lineOf("connection_drop", TS, "default", { error_name: "X".repeat(300), error_code: 1 }), AT);
    expect(crt).toMatchObject({ error_message: "", error_code: 1 });
    expect(crt.kind === "connection_drop" && crt.error_name?.length).toBe(256);
    const success = normalizeLine(lineOf("connection_success", TS, "default", { event_type: "y".repeat(1000) }), AT);
    expect(success.kind === "connection_success" && success.event_type.length).toBe(256);
    const failure = normalizeLine({ ts: TS, kind: "connection_failure", error_name: null, error_code: null, error_message: "m".repeat(600) }, AT);
    expect(failure.kind === "connection_failure" && failure.error_message?.length).toBe(512);
  });

  it("says whether a line's fields need repair, and skips the check when the caller knows they do not", () => {
    const ok = lineOf("connection_drop", TS, "default", { error_name: "AWS_IO_SOCKET_CLOSED", error_message: "closed", error_code: 1051 });
    const long = lineOf("connection_drop", TS, "default", { error_name: "N".repeat(300), error_message: "m", error_code: 1 });
    expect(inShape(ok)).toBe(true);
    expect(inShape(long)).toBe(false);
    expect(normalizeLine(ok, AT, true, true)).toBe(ok);
    // Told wrongly, it would keep the long name: the reader says so only of fields it checked (repeated-lines tests).
    expect(normalizeLine(long, AT, true, false)).not.toBe(long);
  });
});
