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

export function isKnownKind(kind: string): boolean {
  return Object.hasOwn(KINDS, kind);
}

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

// Fills defaults in place: the object is fresh from JSON.parse and already validated, and
// replaying a million lines should not copy each one.
function withDefaults(o: Obj, kind: string): JournalEvent {
  const defaults = DEFAULTS[kind] ?? {};
  for (const key in defaults) if (o[key] === undefined) o[key] = defaults[key];
  if (kind === "connection_drop") normaliseDropError(o);
  return o as unknown as JournalEvent;
}

/**
 * A drop's error as the seed records it: a CRT error (a non-empty `error_name`) always has a
 * message string (`str(AwsCrtError)`, "" when it had none); any other error keeps only its
 * message, without name or code. Lines we write already have this shape; foreign or
 * hand-written lines get the values the seed would have exported for them.
 */
function normaliseDropError(o: Obj): void {
  if (typeof o["error_name"] === "string" && o["error_name"] !== "") {
    if (o["error_message"] === null) o["error_message"] = "";
  } else {
    o["error_name"] = null;
    o["error_code"] = null;
  }
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
  // hasOwn: `constructor`, `toString` or `__proto__` must not find Object.prototype's members.
  const spec = Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (spec === undefined) return { ok: false, reason: `unknown kind '${kind.slice(0, 40)}'`, unknownKind: kind.slice(0, 40) };
  for (const [field, check] of Object.entries(spec)) {
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

/** Serialises an event as one journal line (without the newline). */
export function formatJournalLine(event: JournalEvent): string {
  return JSON.stringify(event);
}
