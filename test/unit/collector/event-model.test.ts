import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EVENT_FIELDS, LINE_FIELDS, lineOf, recordOf, recordSpec, type RecordOf } from "../../../src/collector/event-model.js";
import { findProblem } from "../../../src/collector/schema.js";
import { MAIN } from "../../helpers/cli.js";

const TS = "2026-03-01T12:00:00.000Z";

describe("the event table", () => {
  it("gives each line field a default or makes it optional, so a line may leave any field out", () => {
    for (const [, fields] of LINE_FIELDS) for (const f of fields) expect(f.optional === true || f.default !== undefined, f.name).toBe(true);
  });

  it("keeps derived fields out of journal lines", () => {
    expect(LINE_FIELDS.get("connection_drop")?.map((f) => f.name)).toEqual([
      "error_name",
      "error_message",
      "error_code",
      "reconnect_attempt",
      "active_subscriptions",
      "queued_commands",
      "disconnect_reason_code",
    ]);
    expect(Object.keys(EVENT_FIELDS.connection_drop)).toContain("duration_connected_seconds");
  });
});

describe("recordOf", () => {
  it("builds the export record in the original module's key order, derived fields in place, absent ones null", () => {
    const line = lineOf("connection_drop", TS, "default", {
      error_name: "AWS_IO_SOCKET_CLOSED",
      error_message: "closed",
      error_code: 1051,
      reconnect_attempt: 2,
    });
    const record: RecordOf<"connection_drop"> = recordOf("connection_drop", TS, line, { duration_connected_seconds: 12 });
    expect(Object.keys(record)).toEqual([
      "timestamp",
      "error_name",
      "error_message",
      "error_code",
      "reconnect_attempt",
      "duration_connected_seconds",
      "active_subscriptions",
      "queued_commands",
      "disconnect_reason_code",
    ]);
    expect(record).toMatchObject({ reconnect_attempt: 2, duration_connected_seconds: 12, active_subscriptions: 0, disconnect_reason_code: null });
    expect(findProblem(recordSpec("connection_drop"), record)).toBeNull();
  });
});

describe("lineOf", () => {
  it("tags only other connections, fills defaults and leaves out optional fields that are unknown", () => {
    expect(lineOf("connection_success", TS, "default", { keep_alive_seconds: null })).toEqual({
      ts: TS,
      kind: "connection_success",
      event_type: "connected",
      session_present: false,
      return_code: null,
      attempt_number: 0,
    });
    expect(lineOf("connection_failure", TS, "dev-2", { connack_reason_code: 135 })).toEqual({
      ts: TS,
      kind: "connection_failure",
      connection: "dev-2",
      error_name: null,
      error_message: null,
      error_code: null,
      connack_reason_code: 135,
    });
    expect(lineOf("connection_stopped", TS, "default", {})).toEqual({ ts: TS, kind: "connection_stopped" });
  });

  it("writes keys in the table's order, the connection after kind, optional fields only when known", () => {
    const line = lineOf("connection_success", TS, "dev-1", { client_id: "c-1", event_type: "resumed", keep_alive_seconds: 30 });
    expect(Object.keys(line)).toEqual([
      "ts",
      "kind",
      "connection",
      "event_type",
      "session_present",
      "return_code",
      "attempt_number",
      "keep_alive_seconds",
      "client_id",
    ]);
    expect(Object.keys(lineOf("connection_drop", TS, "default", { disconnect_reason_code: 142 }))).toEqual([
      "ts",
      "kind",
      "error_name",
      "error_message",
      "error_code",
      "reconnect_attempt",
      "active_subscriptions",
      "queued_commands",
      "disconnect_reason_code",
    ]);
    expect(Object.keys(lineOf("lifecycle", TS, "default", { eventType: "connected", clientId: "c" }))).toEqual(["ts", "kind", "clientId", "eventType"]);
  });

  it("makes each line and record a new object: none shares a template's", () => {
    const a = lineOf("publish", TS, "default", { queued: true });
    const b = lineOf("publish", TS, "default", {});
    expect(a).not.toBe(b);
    expect([a, b]).toEqual([
      { ts: TS, kind: "publish", queued: true },
      { ts: TS, kind: "publish", queued: false },
    ]);
    const r1 = recordOf("connection_failure", TS, lineOf("connection_failure", TS, "default", { error_name: "E" }), {});
    const r2 = recordOf("connection_failure", TS, lineOf("connection_failure", TS, "default", {}), {});
    expect(r1.error_name).toBe("E");
    expect(r2.error_name).toBeNull();
  });
});

describe("where code generation from strings is forbidden", () => {
  it("builds the same lines and records without compiling (replay's document is byte-identical)", () => {
    const journal = fileURLToPath(new URL("../../golden/journals/extended.jsonl", import.meta.url));
    const replay = (flags: string[]) => spawnSync(process.execPath, [...flags, MAIN, "replay", journal], { encoding: "utf8", timeout: 30_000 });
    const compiled = replay([]);
    const looped = replay(["--disallow-code-generation-from-strings"]);
    expect(compiled.status).toBe(0);
    expect(looped.stderr).toBe(compiled.stderr);
    expect(looped.status).toBe(0);
    expect(looped.stdout).toBe(compiled.stdout);
  });
});
