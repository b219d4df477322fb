import type { JournalEvent } from "./events.js";

/** `unknownKind` is set when the line is well-formed but of a kind this version does not know. */
export type ParseResult = { ok: true; event: JournalEvent } | { ok: false; reason: string; unknownKind?: string };

type Obj = Record<string, unknown>;

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const optional = (pred: (v: unknown) => boolean) => (v: unknown) => v === undefined || pred(v);
const nullable = (pred: (v: unknown) => boolean) => (v: unknown) => v === null || pred(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const isBool = (v: unknown): v is boolean => typeof v === "boolean";
const isNonNegInt = (v: unknown): v is number => isInt(v) && v >= 0;

type FieldSpec = Record<string, (v: unknown) => boolean>;

// Fields that may be absent take the seed's defaults (see withDefaults); present fields must
// have the right type, so a line is either understood in full or skipped as a whole.
const KINDS: Record<string, FieldSpec> = {
  connection_success: {
    event_type: optional(isStr),
    session_present: optional(isBool),
    return_code: optional(nullable(isInt)),
    attempt_number: optional(isNonNegInt),
    keep_alive_seconds: optional(nullable(isNum)),
  },
  connection_drop: {
    error_name: optional(nullable(isStr)),
    error_message: optional(nullable(isStr)),
    error_code: optional(nullable(isInt)),
    reconnect_attempt: optional(isNonNegInt),
    active_subscriptions: optional(isNonNegInt),
    queued_commands: optional(isNonNegInt),
    disconnect_reason_code: optional(nullable(isInt)),
  },
  publish: { queued: optional(isBool) },
  connection_failure: {
    error_name: optional(nullable(isStr)),
    error_message: optional(nullable(isStr)),
    error_code: optional(nullable(isInt)),
    connack_reason_code: optional(nullable(isInt)),
  },
  connection_attempt: {},
  connection_stopped: { reason: optional(isStr) },
  probe: { rtt_seconds: optional(nullable(isNum)) },
};

// Per kind, computed once: replay checks a million lines and should not rebuild these each time.
const FIELD_CHECKS = new Map(Object.entries(KINDS).map(([kind, spec]) => [kind, Object.entries(spec)] as const));

/** Absent optional fields and their seed defaults, per kind. */
const DEFAULTS: Record<string, Record<string, unknown>> = {
  connection_success: { event_type: "connected", session_present: false, return_code: null, attempt_number: 0 },
  connection_drop: { error_name: null, error_message: null, error_code: null, reconnect_attempt: 0, active_subscriptions: 0, queued_commands: 0 },
  publish: { queued: false },
  connection_failure: { error_name: null, error_message: null, error_code: null },
  connection_attempt: {},
  connection_stopped: {},
  probe: { rtt_seconds: null },
};

const DEFAULT_ENTRIES = new Map(Object.entries(DEFAULTS).map(([kind, fields]) => [kind, Object.entries(fields)] as const));

// Fills defaults in place: the object is fresh from JSON.parse and already validated, and
// replaying a million lines should not copy each one.
function withDefaults(o: Obj, kind: string): JournalEvent {
  for (const [key, value] of DEFAULT_ENTRIES.get(kind) ?? []) if (o[key] === undefined) o[key] = value;
  return o as unknown as JournalEvent;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]00:00)$/;

/** Validates a parsed JSON value as a journal event; never throws. */
export function toJournalEvent(value: unknown): ParseResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, reason: "not a JSON object" };
  const o = value as Obj;
  const ts = o["ts"];
  if (typeof ts !== "string" || !ISO_UTC.test(ts) || Number.isNaN(Date.parse(ts))) {
    return { ok: false, reason: "`ts` must be an ISO 8601 UTC timestamp" };
  }
  if (o["connection"] !== undefined && (typeof o["connection"] !== "string" || o["connection"] === "")) {
    return { ok: false, reason: "`connection` must be a non-empty string" };
  }
  const kind = o["kind"];
  if (typeof kind !== "string") return { ok: false, reason: "`kind` must be a string" };
  // A Map, so `constructor`, `toString` or `__proto__` find no Object.prototype member.
  const checks = FIELD_CHECKS.get(kind);
  if (checks === undefined) return { ok: false, reason: `unknown kind '${kind.slice(0, 40)}'`, unknownKind: kind.slice(0, 40) };
  for (const [field, check] of checks) {
    if (!check(o[field])) return { ok: false, reason: `\`${field}\` has the wrong type for kind '${kind}'` };
  }
  return { ok: true, event: withDefaults(o, kind) };
}

/** Parses one journal line; never throws. */
export function parseJournalLine(line: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: "not valid JSON (torn or corrupt line)" };
  }
  return toJournalEvent(value);
}

