import type { JournalEvent } from "./events.js";

export type ParseResult = { ok: true; event: JournalEvent } | { ok: false; reason: string };

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

function withDefaults(o: Obj, kind: string): JournalEvent {
  const base = { ts: o["ts"] as string, ...(typeof o["connection"] === "string" ? { connection: o["connection"] } : {}) };
  switch (kind) {
    case "connection_success":
      return {
        ...base,
        kind,
        event_type: (o["event_type"] as string | undefined) ?? "connected",
        session_present: (o["session_present"] as boolean | undefined) ?? false,
        return_code: (o["return_code"] as number | null | undefined) ?? null,
        attempt_number: (o["attempt_number"] as number | undefined) ?? 0,
        ...(o["keep_alive_seconds"] != null ? { keep_alive_seconds: o["keep_alive_seconds"] as number } : {}),
      };
    case "connection_drop":
      return {
        ...base,
        kind,
        error_name: (o["error_name"] as string | null | undefined) ?? null,
        error_message: (o["error_message"] as string | null | undefined) ?? null,
        error_code: (o["error_code"] as number | null | undefined) ?? null,
        reconnect_attempt: (o["reconnect_attempt"] as number | undefined) ?? 0,
        active_subscriptions: (o["active_subscriptions"] as number | undefined) ?? 0,
        queued_commands: (o["queued_commands"] as number | undefined) ?? 0,
        ...(o["disconnect_reason_code"] != null ? { disconnect_reason_code: o["disconnect_reason_code"] as number } : {}),
      };
    case "publish":
      return { ...base, kind, queued: (o["queued"] as boolean | undefined) ?? false };
    case "connection_failure":
      return {
        ...base,
        kind,
        error_name: (o["error_name"] as string | null | undefined) ?? null,
        error_message: (o["error_message"] as string | null | undefined) ?? null,
        error_code: (o["error_code"] as number | null | undefined) ?? null,
        ...(o["connack_reason_code"] != null ? { connack_reason_code: o["connack_reason_code"] as number } : {}),
      };
    case "connection_attempt":
      return { ...base, kind };
    case "connection_stopped":
      return { ...base, kind, ...(typeof o["reason"] === "string" ? { reason: o["reason"] } : {}) };
    default:
      return { ...base, kind: "probe", rtt_seconds: (o["rtt_seconds"] as number | null | undefined) ?? null };
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
  const spec = KINDS[kind];
  if (spec === undefined) return { ok: false, reason: `unknown kind '${kind.slice(0, 40)}'` };
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
