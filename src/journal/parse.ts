import { canonicalIsoMs } from "../clock.js";
import { type JournalEvent, LINE_FIELDS, type LineField } from "../collector/event-model.js";
import { jsonOf, NOT_JSON } from "../text/json-text.js";

/** `unknownKind` is set when the line is well-formed but of a kind this version does not know. */
export type ParseResult = { ok: true; event: JournalEvent } | ParseFailure;
type ParseFailure = { ok: false; reason: string; unknownKind?: string };
/** A parse with the event's time (ms), its `ts` parsed once: what the journal reader uses. */
export type TimedParseResult = { ok: true; event: JournalEvent; at: number } | ParseFailure;

type Obj = Record<string, unknown>;

/**
 * Checks each field of the line's kind (from the core's event table) and fills the defaults of
 * absent ones, in place: the object is fresh from JSON.parse, and replaying a million lines
 * should not copy each one. Present fields must have the right type, so a line is either
 * understood in full or skipped as a whole.
 */
function checkFields(o: Obj, kind: string, fields: readonly LineField[], at: number): TimedParseResult {
  for (const f of fields) {
    const v = o[f.name];
    if (!f.check(v)) return { ok: false, reason: `\`${f.name}\` has the wrong type for kind '${kind}'` };
    if (v === undefined && f.default !== undefined) o[f.name] = f.default;
  }
  return { ok: true, event: o as unknown as JournalEvent, at };
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]00:00)$/;

/**
 * Whether the `ts` of an event this module accepted is in the `toISOString()` form, by its
 * length alone (no character is read): of the forms ISO_UTC and canonicalIsoMs accept, only
 * `YYYY-MM-DDTHH:MM:SS.sssZ` has 24 characters (no fraction: 20; an offset: 25 or more).
 */
export function checkedTsIsCanonical(ts: string): boolean {
  return ts.length === 24;
}

/** The instant of a line's `ts` (ms), NaN when it is not an ISO 8601 UTC timestamp. */
function timeOf(ts: string): number {
  const canonical = canonicalIsoMs(ts);
  if (canonical !== undefined) return canonical;
  return ISO_UTC.test(ts) ? Date.parse(ts) : NaN;
}

function checkedEvent(value: unknown): TimedParseResult {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, reason: "not a JSON object" };
  const o = value as Obj;
  const ts = o["ts"];
  const at = typeof ts === "string" ? timeOf(ts) : NaN;
  if (Number.isNaN(at)) return { ok: false, reason: "`ts` must be an ISO 8601 UTC timestamp" };
  if (o["connection"] !== undefined && (typeof o["connection"] !== "string" || o["connection"] === "")) {
    return { ok: false, reason: "`connection` must be a non-empty string" };
  }
  const kind = o["kind"];
  if (typeof kind !== "string") return { ok: false, reason: "`kind` must be a string" };
  // A Map, so `constructor`, `toString` or `__proto__` find no Object.prototype member.
  const fields = LINE_FIELDS.get(kind);
  if (fields === undefined) return { ok: false, reason: `unknown kind '${kind.slice(0, 40)}'`, unknownKind: kind.slice(0, 40) };
  return checkFields(o, kind, fields, at);
}

function untimed(result: TimedParseResult): ParseResult {
  return result.ok ? { ok: true, event: result.event } : result;
}

/** Validates a parsed JSON value as a journal event; never throws. */
export function toJournalEvent(value: unknown): ParseResult {
  return untimed(checkedEvent(value));
}

/** Parses one journal line and its time; never throws. */
export function parseTimedLine(line: string): TimedParseResult {
  const value = jsonOf(line);
  return value === NOT_JSON ? { ok: false, reason: "not valid JSON (torn or corrupt line)" } : checkedEvent(value);
}

/** Parses one journal line; never throws. */
export function parseJournalLine(line: string): ParseResult {
  return untimed(parseTimedLine(line));
}
