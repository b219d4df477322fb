import { isCanonicalIso, isoTimestamp } from "../clock.js";
import { boundName, truncateMessage } from "./error-info.js";
import type { JournalEvent } from "./event-model.js";

type Fields = Record<string, unknown>;

/**
 * The error as the original module records it, with names and messages bounded; null when the
 * line has it so already (no object is made for the common case: every drop passes here).
 */
function errorFix(
  kind: "connection_drop" | "connection_failure",
  name: string | null,
  message: string | null | undefined,
  code: number | null,
  line: Fields,
): Fields | null {
  let n: string | null, m: string | null, c: number | null;
  if (kind === "connection_failure") {
    n = boundName(name);
    m = truncateMessage(message ?? null);
    c = code;
  } else {
    // A CRT error (a non-empty name) always has a message string, "" when it had none; any other
    // error keeps only its message, no name or code.
    const crt = typeof name === "string" && name !== "";
    n = crt ? boundName(name) : null;
    m = truncateMessage(crt ? (message ?? "") : (message ?? null));
    c = crt ? code : null;
  }
  if (n === line["error_name"] && m === line["error_message"] && c === line["error_code"]) return null;
  return { error_name: n, error_message: m, error_code: c };
}

/** The fields of `line` that need repair, or null when there are none. */
function changes(line: JournalEvent): Fields | null {
  const current = line as unknown as Fields;
  switch (line.kind) {
    case "connection_drop":
    case "connection_failure":
      return errorFix(line.kind, line.error_name, line.error_message, line.error_code, current);
    case "connection_success": {
      const type = boundName(line.event_type);
      const transport = line.transport === undefined ? undefined : boundName(line.transport);
      if (type === line.event_type && transport === line.transport) return null;
      // Built field by field: a conditional spread here cost more than the rest of the event.
      const fix: Fields = { event_type: type };
      if (transport !== undefined) fix["transport"] = transport;
      return fix;
    }
    case "connection_stopped": {
      if (line.reason === undefined) return null;
      const reason = boundName(line.reason);
      return reason === line.reason ? null : { reason };
    }
    default:
      return null;
  }
}

/** Whether `line`'s fields (all but `ts`) are already as the collector records them. */
export function inShape(line: JournalEvent): boolean {
  return changes(line) === null;
}

/**
 * Brings any event to the shape the collector records: a canonical `ts` (`toISOString()`),
 * names and messages bounded and redacted, a drop's error in the original module's shape.
 * Lines this service wrote are already so and come back as they are, with nothing allocated
 * (replay reads a million of them, and every recorded event passes here); foreign or
 * hand-written ones come back as a repaired copy.
 */
export function normalizeLine(line: JournalEvent, at: number, canonicalTs = false, fieldsInShape = false): JournalEvent {
  // `fieldsInShape`: the caller checked these very fields before (a journal line repeating one it
  // read: the same fields at another time), so they are not checked again for each repeat.
  const fix = fieldsInShape ? null : changes(line);
  // `canonicalTs`: the caller knows (the journal reader checked it), so its characters are not
  // read here: reading a joined string's characters flattens it (a copy) for every replayed line.
  const ts = canonicalTs || isCanonicalIso(line.ts) ? line.ts : isoTimestamp(at);
  return fix === null && ts === line.ts ? line : { ...line, ...fix, ts };
}
