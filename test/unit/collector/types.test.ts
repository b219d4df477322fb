import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import type { ServerOutcome } from "../../../src/aws-join/outcome.js";
import type {
  ConnectionDropEvent,
  ConnectionEvent,
  ConnectionFailureEvent,
  ExportDocument,
  ExportedMetrics,
  MqttMetrics,
} from "../../../src/collector/types.js";

// The types against two real documents: the original Python module's own output (a golden file
// it wrote) and our collector's. Keys the original has come first, unchanged; ours follow.
const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");
type Json = Record<string, unknown> & { recent_drops: Record<string, unknown>[]; recent_connections: Record<string, unknown>[] };
const original = JSON.parse(read("test/golden/journals/extended.expected.json")) as Json & { metrics: Record<string, unknown> };
const exportDoc = read("docs/export-document.md");

const DOCUMENT_ADDED = [
  "connection",
  "connected",
  "negotiated_keep_alive_seconds",
  "connection_attempts",
  "connection_failures",
  "server_disconnects_by_reason",
  "lifecycle",
] as const;
const DROP_ADDED = ["disconnect_reason_code"] as const;
/** AWS's side of each drop (issues 13 and 20). */
const DROP_JOIN: readonly string[] = ["server_reason", "server_outcome", "server_delay_seconds"];
const SUCCESS_ADDED = ["keep_alive_seconds", "transport", "client_id"] as const;

/** What `typeof` says of each field's values (`null` for null): the declared types, as a table. */
const DROP_TYPES = {
  timestamp: ["string"],
  error_name: ["string", "null"],
  error_message: ["string", "null"],
  error_code: ["number", "null"],
  reconnect_attempt: ["number"],
  duration_connected_seconds: ["number", "null"],
  active_subscriptions: ["number"],
  queued_commands: ["number"],
  disconnect_reason_code: ["number", "null"],
} as const;
const SUCCESS_TYPES = {
  timestamp: ["string"],
  event_type: ["string"],
  session_present: ["boolean"],
  return_code: ["number", "null"],
  attempt_number: ["number"],
  time_to_reconnect_seconds: ["number", "null"],
  keep_alive_seconds: ["number", "null"],
  transport: ["string", "null"],
  client_id: ["string", "null"],
} as const;
const METRICS_TYPES = {
  total_connections: ["number"],
  total_disconnects: ["number"],
  total_connection_drops: ["number"],
  total_reconnect_attempts: ["number"],
  longest_session_seconds: ["number"],
  shortest_session_seconds: ["number", "null"],
  average_session_seconds: ["number"],
  current_session_uptime_seconds: ["number"],
  connection_drops_by_error: ["object"],
  reconnection_attempts_distribution: ["object"],
  last_drop_timestamp: ["string", "null"],
  last_successful_connect_timestamp: ["string", "null"],
  connection_recovered: ["number"],
  messages_published: ["number"],
  messages_queued: ["number"],
} as const;

type JsType<T> = T extends null ? "null" : T extends string ? "string" : T extends number ? "number" : T extends boolean ? "boolean" : "object";
type JsTypes<R> = { [K in keyof R]-?: JsType<R[K]> };
type Table<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E : never };
/** The keys of a type with an index signature, without it. */
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] };

const jsType = (v: unknown) => (v === null ? "null" : typeof v);
function expectTypesFrom(table: Readonly<Record<string, readonly string[]>>, record: Record<string, unknown>) {
  for (const [key, value] of Object.entries(record)) expect(table[key], `${key}: ${jsType(value)}`).toContain(jsType(value));
}

function recordedCollector() {
  const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
  const c = new MqttDiagnosticsCollector({ clock, connection: "heater-1", logger: { warn: () => undefined, error: () => undefined } });
  c.recordConnectionSuccess({ keepAliveSeconds: 60, transport: "mtls", clientId: "heater-1" });
  clock.advance(90_000);
  c.recordConnectionDrop({
    error: Object.assign(new Error("hang-up"), { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134 }),
    disconnectReasonCode: 142,
  });
  clock.advance(1_000);
  c.recordConnectionFailure({ error: new Error("refused"), connackReasonCode: 135 });
  clock.advance(2_000);
  c.recordConnectionSuccess({ eventType: "resumed" });
  return c;
}

describe("collector/types: the export document's declared shape", () => {
  const c = recordedCollector();
  const doc = c.export();
  const fromJson = JSON.parse(c.exportJson()) as Json;

  it("the types the collector returns are the declared ones", () => {
    expectTypeOf(c.export()).toEqualTypeOf<ExportDocument>();
    expectTypeOf(c.getMetrics()).toEqualTypeOf<MqttMetrics>();
    expectTypeOf(c.getRecentDrops()).toEqualTypeOf<ConnectionDropEvent[]>();
    expectTypeOf(c.getRecentConnections()).toEqualTypeOf<ConnectionEvent[]>();
    expectTypeOf(c.getRecentFailures()).toEqualTypeOf<ConnectionFailureEvent[]>();
    // The original's Infinity until a session ended, exported as null.
    expectTypeOf<MqttMetrics["shortest_session_seconds"]>().toEqualTypeOf<number>();
    expectTypeOf<ExportedMetrics["shortest_session_seconds"]>().toEqualTypeOf<number | null>();
    expectTypeOf<keyof MqttMetrics>().toEqualTypeOf<keyof ExportedMetrics>();
  });

  it("has exactly the original's keys, in its order, then the documented additions", () => {
    const originalKeys = Object.keys(original);
    expectTypeOf<KnownKeys<ExportDocument>>().toEqualTypeOf<
      "timestamp" | "metrics" | "recent_drops" | "recent_connections" | "aws_error_counts" | "session_history_summary" | (typeof DOCUMENT_ADDED)[number]
    >();
    expect(originalKeys).toEqual(["timestamp", "metrics", "recent_drops", "recent_connections", "aws_error_counts", "session_history_summary"]);
    expect(Object.keys(fromJson)).toEqual([...originalKeys, ...DOCUMENT_ADDED]);
    expect(Object.keys(doc.session_history_summary)).toEqual(Object.keys(original["session_history_summary"] as object));
    expect(Object.keys(doc.metrics)).toEqual(Object.keys(original.metrics));
    for (const name of [...DOCUMENT_ADDED, ...DROP_ADDED, ...SUCCESS_ADDED, ...DROP_JOIN]) expect(exportDoc, name).toContain(`\`${name}\``);
  });

  it("records have the original's fields, in order, then ours (drops and failures with AWS's server_reason)", () => {
    expectTypeOf<Table<typeof DROP_TYPES>>().toEqualTypeOf<JsTypes<ConnectionDropEvent>>();
    expectTypeOf<Table<typeof SUCCESS_TYPES>>().toEqualTypeOf<JsTypes<ConnectionEvent>>();
    expectTypeOf<ExportDocument["recent_drops"][number]>().toEqualTypeOf<
      ConnectionDropEvent & { server_reason: string | null; server_outcome: ServerOutcome | null; server_delay_seconds: number | null }
    >();
    expectTypeOf<ExportDocument["connection_failures"]["recent"][number]>().toEqualTypeOf<ConnectionFailureEvent & { server_reason: string | null }>();
    const [drop] = fromJson.recent_drops;
    const [success] = fromJson.recent_connections;
    expect(Object.keys(drop ?? {})).toEqual([...Object.keys(original.recent_drops[0] ?? {}), ...DROP_ADDED, ...DROP_JOIN]);
    expect(Object.keys(success ?? {})).toEqual([...Object.keys(original.recent_connections[0] ?? {}), ...SUCCESS_ADDED]);
    expect(Object.keys(DROP_TYPES)).toEqual(Object.keys(drop ?? {}).filter((k) => !DROP_JOIN.includes(k)));
    expect(Object.keys(SUCCESS_TYPES)).toEqual(Object.keys(success ?? {}));
    expect(Object.keys(doc.connection_failures.recent[0] ?? {})).toEqual([
      "timestamp",
      "error_name",
      "error_message",
      "error_code",
      "connack_reason_code",
      "server_reason",
    ]);
  });

  it("the values have the declared types, in the original's document and in ours", () => {
    expectTypeOf<Table<typeof METRICS_TYPES>>().toEqualTypeOf<JsTypes<ExportedMetrics>>();
    for (const source of [original, fromJson]) {
      expectTypesFrom(METRICS_TYPES, source["metrics"] as Record<string, unknown>);
      for (const d of source.recent_drops)
        expectTypesFrom({ ...DROP_TYPES, server_reason: ["string", "null"], server_outcome: ["string", "null"], server_delay_seconds: ["number", "null"] }, d);
      for (const s of source.recent_connections) expectTypesFrom(SUCCESS_TYPES, s);
    }
    // Before any session ended: null in the document, Infinity from getMetrics() (as the original).
    const fresh = new MqttDiagnosticsCollector({ clock: new ManualClock(0) });
    expect(fresh.export().metrics.shortest_session_seconds).toBeNull();
    expect(fresh.getMetrics().shortest_session_seconds).toBe(Infinity);
  });
});
