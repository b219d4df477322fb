import { type JournalEvent, LINE_FIELDS, type LineField } from "../collector/event-model.js";

/** `unknownKind` is set when the line is well-formed but of a kind this version does not know. */
export type ParseResult = { ok: true; event: JournalEvent } | { ok: false; reason: string; unknownKind?: string };

type Obj = Record<string, unknown>;

/**
 * Checks each field of the line's kind (from the core's event table) and fills the defaults of
 * absent ones, in place: the object is fresh from JSON.parse, and replaying a million lines
 * should not copy each one. Present fields must have the right type, so a line is either
 * understood in full or skipped as a whole.
 */
function checkFields(o: Obj, kind: string, fields: readonly LineField[]): ParseResult {
  for (const f of fields) {
    const v = o[f.name];
    if (!f.check(v)) return { ok: false, reason: `\`${f.name}\` has the wrong type for kind '${kind}'` };
    if (v === undefined && f.default !== undefined) o[f.name] = f.default;
  }
  return { ok: true, event: o as unknown as JournalEvent };
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
  const fields = LINE_FIELDS.get(kind);
  if (fields === undefined) return { ok: false, reason: `unknown kind '${kind.slice(0, 40)}'`, unknownKind: kind.slice(0, 40) };
  return checkFields(o, kind, fields);
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

