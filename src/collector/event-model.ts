import { type Field, fieldCheck, type Flatten, type Infer, type InferFields, type ObjectSpec } from "./schema.js";

/** The connection a journal line without `connection` belongs to. */
export const DEFAULT_CONNECTION = "default";

/**
 * Every event kind, declared once: its fields in the documented order (the journal writer's and
 * the export records' key order), their types, and the defaults a journal line may leave out.
 * From this table come the line and record types, the journal parser's checks and defaults, the
 * writer's field order and the checkpoint's record schema. Field names follow the original
 * Python module's records (see docs/compatibility.md); `derived` fields are the collector's
 * measurements, present in records and checkpoints but never in a journal line.
 */
export const EVENT_FIELDS = {
  connection_success: {
    /** `connected`, `resumed` or `deep_reconnected`. */
    event_type: { type: "name", default: "connected" },
    session_present: { type: "boolean", default: false },
    return_code: { type: "int", nullable: true, default: null },
    attempt_number: { type: "count", default: 0 },
    time_to_reconnect_seconds: { type: "number", nullable: true, derived: true },
    /** Added: the keep-alive the server granted, in seconds. */
    keep_alive_seconds: { type: "number", nullable: true, optional: true },
    /** Added: how the connection reached the broker (`mtls`, `mtls_alpn`, `websocket_sigv4`, `custom_auth`, `tcp`); absent = `mtls`. */
    transport: { type: "name", optional: true },
    /** Added (issue 13): the client ID, so a journal says whose AWS lifecycle events belong to it. */
    client_id: { type: "name", nullable: true, optional: true },
  },
  connection_drop: {
    error_name: { type: "name", nullable: true, default: null },
    error_message: { type: "text", nullable: true, default: null },
    error_code: { type: "int", nullable: true, default: null },
    reconnect_attempt: { type: "count", default: 0 },
    duration_connected_seconds: { type: "number", nullable: true, derived: true },
    active_subscriptions: { type: "count", default: 0 },
    queued_commands: { type: "count", default: 0 },
    /** Added: the MQTT 5 reason code of the server's DISCONNECT packet, when one came. */
    disconnect_reason_code: { type: "int", nullable: true, optional: true },
  },
  publish: {
    queued: { type: "boolean", default: false },
  },
  /** Added: a connection attempt that did not succeed. */
  connection_failure: {
    error_name: { type: "name", nullable: true, default: null },
    error_message: { type: "text", nullable: true, optional: true, default: null },
    error_code: { type: "int", nullable: true, default: null },
    connack_reason_code: { type: "int", nullable: true, optional: true },
  },
  /** A connection attempt began (MQTT5 `attemptingConnect`). */
  connection_attempt: {},
  /** The session ended without a drop: the client was stopped, or the process restarted. */
  connection_stopped: {
    reason: { type: "name", optional: true },
  },
  /**
   * Added (issue 13): one AWS IoT Core lifecycle event about this connection's client ID, with
   * AWS's own field names (src/aws-join/events.ts checks each event type's fields).
   * `ts` is when it was received; `timestamp` is AWS's time in ms. Every field is optional here
   * because which ones an event has depends on its `eventType`: the ledger checks that.
   */
  lifecycle: {
    clientId: { type: "name", optional: true },
    timestamp: { type: "count", optional: true },
    eventType: { type: "name", optional: true },
    sessionIdentifier: { type: "name", optional: true },
    principalIdentifier: { type: "name", optional: true },
    ipAddress: { type: "name", optional: true },
    clientInitiatedDisconnect: { type: "boolean", optional: true },
    disconnectReason: { type: "name", optional: true },
    connectFailureReason: { type: "name", optional: true },
    versionNumber: { type: "count", optional: true },
  },
  /** One round trip of the optional probe: `rtt_seconds` null means it timed out. */
  probe: {
    rtt_seconds: { type: "number", nullable: true, default: null },
  },
} as const satisfies Readonly<Record<string, Readonly<Record<string, Field>>>>;

type Kinds = typeof EVENT_FIELDS;
export type JournalKind = keyof Kinds;

type LineFields<F> = { [N in keyof F as F[N] extends { readonly derived: true } ? never : N]: F[N] };

/** One journal line of a kind: `ts` is ISO 8601 UTC; an absent `connection` is the default one. */
export type LineOf<K extends JournalKind> = K extends JournalKind
  ? Flatten<{ ts: string; kind: K; connection?: string } & InferFields<LineFields<Kinds[K]>>>
  : never;

/** Any journal line (the public, documented JSON Lines format). */
export type JournalEvent = { [K in JournalKind]: LineOf<K> }[JournalKind];

// In a record every field is present: what a line may leave out is null there.
type RecordFields<F> = { timestamp: { type: "iso" } } & {
  [N in keyof F]: {
    type: F[N] extends Field ? F[N]["type"] : never;
    nullable: F[N] extends { readonly nullable: true } | { readonly optional: true } ? true : false;
  };
};

/** The collector's record of an event, as the export document shows it (snake_case keys). */
export type RecordOf<K extends JournalKind> = Infer<{ type: "object"; fields: RecordFields<Kinds[K]> }>;

/** The kinds the collector keeps records of. */
export type RecordedKind = "connection_success" | "connection_drop" | "connection_failure";

const KIND_NAMES = Object.keys(EVENT_FIELDS) as JournalKind[];

function entries(kind: JournalKind): [string, Field][] {
  return Object.entries(EVENT_FIELDS[kind] as Readonly<Record<string, Field>>);
}

/** A line field with its name and its check (null and absence included as allowed). */
export type LineField = Field & { readonly name: string; readonly check: (v: unknown) => boolean };

/** A journal line's fields per kind, in order: what the writer writes and the parser checks. */
export const LINE_FIELDS: ReadonlyMap<string, readonly LineField[]> = new Map(
  KIND_NAMES.map((kind) => [
    kind,
    entries(kind)
      .filter(([, f]) => f.derived !== true)
      .map(([name, f]) => ({ ...f, name, check: fieldCheck(f) })),
  ]),
);

/** The record schema of a kind, for the checkpoint: `timestamp`, then every field, present. */
export function recordSpec(kind: RecordedKind): ObjectSpec {
  const fields: Record<string, Field> = { timestamp: { type: "iso" } };
  // An optional field may be absent too: checkpoints written before it existed lack it.
  for (const [name, f] of entries(kind))
    fields[name] = { type: f.type, nullable: f.nullable === true || f.optional === true, ...(f.optional === true ? { optional: true } : {}) };
  return { type: "object", fields };
}

/**
 * A builder compiled from the constant event table (the fast path), or the same builder as a
 * loop where the process forbids code generation from strings (Node's
 * --disallow-code-generation-from-strings, some hardened hosts): same output, slower.
 */
function compiledOr<T>(compile: () => T, loop: () => T): T {
  try {
    return compile();
  } catch (err) {
    if (err instanceof EvalError) return loop();
    throw err;
  }
}

type RecordBuilder = (timestamp: string, line: Readonly<Record<string, unknown>>, derived: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/**
 * How a kind's record is built: one object literal with every key in the table's order (so all
 * records of a kind share one shape and no key is added one by one), each field's value from the
 * line or, for derived ones, from the collector's measurements, null when absent. The literal is
 * compiled once per kind from the table: copying a template and then storing each field by a
 * computed name was the most expensive step of recording a drop (replay builds a million).
 */
function recordBuilder(kind: JournalKind): RecordBuilder {
  const fields = entries(kind).map(([name, f]) => `${JSON.stringify(name)}: ${f.derived === true ? "derived" : "line"}[${JSON.stringify(name)}] ?? null`);
  // The names are the table's own (JSON-quoted), never input: no code comes from outside.
  return compiledOr(
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled once per kind from the constant table above
    () => new Function("timestamp", "line", "derived", `return { timestamp, ${fields.join(", ")} };`) as RecordBuilder,
    () => {
      const from = entries(kind).map(([name, f]) => [name, f.derived === true] as const);
      return (timestamp, line, derived) => {
        const out: Record<string, unknown> = { timestamp };
        for (const [name, isDerived] of from) out[name] = (isDerived ? derived : line)[name] ?? null;
        return out;
      };
    },
  );
}

const RECORD_BUILDERS = new Map<JournalKind, RecordBuilder>(KIND_NAMES.map((kind) => [kind, recordBuilder(kind)]));

/**
 * A record in the table's key order: line fields from `line`, derived ones from `derived`, and
 * null for what is absent (the export document's keys are always all there).
 */
export function recordOf<K extends RecordedKind>(kind: K, timestamp: string, line: LineOf<K>, derived: Partial<RecordOf<K>>): RecordOf<K> {
  const build = RECORD_BUILDERS.get(kind) as RecordBuilder;
  return build(timestamp, line, derived) as RecordOf<K>;
}

// Optional fields without a default are written only when known (as the journal always has).
const omittable = (f: LineField) => f.optional === true && f.default === undefined;

type LineBuilder = (ts: string, tagged: boolean, connection: string, values: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/**
 * How a kind's line is built, compiled once per kind from the table (as records are): `ts`,
 * `kind`, the connection when it is not the default one, then each field in the table's order,
 * its default (else null) when absent; the fields every line carries (up to the first that may
 * be left out) in one literal, the rest added only when known. Every recorded event builds one.
 */
function lineBuilder(kind: string, fields: readonly LineField[]): LineBuilder {
  const first = fields.findIndex(omittable);
  const fixed = first === -1 ? fields.length : first;
  const name = (f: LineField) => JSON.stringify(f.name);
  const value = (f: LineField, i: number) => `values[${name(f)}] ?? defaults[${i}]`;
  const literal = (head: string) => `{ ${[head, ...fields.slice(0, fixed).map((f, i) => `${name(f)}: ${value(f, i)}`)].join(", ")} }`;
  const body = [`const out = tagged ? ${literal(`ts, kind: ${JSON.stringify(kind)}, connection`)} : ${literal(`ts, kind: ${JSON.stringify(kind)}`)};`];
  fields.forEach((f, i) => {
    if (i < fixed) return;
    if (omittable(f)) body.push(`{ const v = values[${name(f)}]; if (v !== null && v !== undefined) out[${name(f)}] = v; }`);
    else body.push(`out[${name(f)}] = ${value(f, i)};`);
  });
  body.push("return out;");
  const defaults = fields.map((f) => f.default ?? null);
  // The names are the table's own (JSON-quoted), never input; defaults are passed, not written out.
  return compiledOr(
    () =>
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled once per kind from the constant table above
      (new Function("defaults", `return function line(ts, tagged, connection, values) { ${body.join(" ")} };`) as (d: readonly unknown[]) => LineBuilder)(
        defaults,
      ),
    () => (ts, tagged, connection, values) => {
      const out: Record<string, unknown> = tagged ? { ts, kind, connection } : { ts, kind };
      fields.forEach((f, i) => {
        const v = values[f.name];
        if (i >= fixed && omittable(f)) {
          if (v !== null && v !== undefined) out[f.name] = v;
        } else out[f.name] = v ?? defaults[i];
      });
      return out;
    },
  );
}

const LINE_BUILDERS = new Map<string, LineBuilder>([...LINE_FIELDS].map(([kind, fields]) => [kind, lineBuilder(kind, fields)]));

/** The journal line of a record (or of fields given as one), in the table's order. */
export function lineOf<K extends JournalKind>(kind: K, ts: string, connection: string, values: Readonly<Record<string, unknown>>): LineOf<K> {
  const build = LINE_BUILDERS.get(kind) as LineBuilder;
  return build(ts, connection !== DEFAULT_CONNECTION, connection, values) as LineOf<K>;
}
