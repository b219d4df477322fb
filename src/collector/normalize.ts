import { isCanonicalIso, isoTimestamp } from "./clock.js";
import { boundName, truncateMessage } from "./error-info.js";
import type { JournalEvent } from "./event-model.js";

type Fields = Record<string, unknown>;

/** The error as the original module records it, with names and messages bounded. */
function errorFields(kind: "connection_drop" | "connection_failure", name: string | null, message: string | null | undefined, code: number | null): Fields {
  if (kind === "connection_failure") return { error_name: boundName(name), error_message: truncateMessage(message ?? null), error_code: code };
  // A CRT error (a non-empty name) always has a message string, "" when it had none; any other
  // error keeps only its message, no name or code.
  const crt = typeof name === "string" && name !== "";
  return {
    error_name: crt ? boundName(name) : null,
    error_message: truncateMessage(crt ? (message ?? "") : (message ?? null)),
    error_code: crt ? code : null,
  };
}

function changes(line: JournalEvent): Fields | null {
  switch (line.kind) {
    case "connection_drop":
    case "connection_failure":
      return errorFields(line.kind, line.error_name, line.error_message, line.error_code);
    case "connection_success": {
      // Built field by field: a conditional spread here cost more than the rest of the event.
      const fix: Fields = { event_type: boundName(line.event_type) };
      if (line.transport !== undefined) fix["transport"] = boundName(line.transport);
      return fix;
    }
    case "connection_stopped":
      return line.reason === undefined ? null : { reason: boundName(line.reason) };
    default:
      return null;
  }
}

/**
 * Brings any event to the shape the collector records: a canonical `ts` (`toISOString()`),
 * names and messages bounded and redacted, a drop's error in the original module's shape.
 * Lines this service wrote are already so and come back as they are (no copy: replay reads a
 * million of them); foreign or hand-written ones come back as a repaired copy.
 */
export function normalizeLine(line: JournalEvent, at: number): JournalEvent {
  const fix = changes(line);
  const ts = isCanonicalIso(line.ts) ? line.ts : isoTimestamp(at);
  const current = line as unknown as Fields;
  let changed = ts !== line.ts;
  if (fix !== null) for (const key of Object.keys(fix)) if (fix[key] !== current[key]) changed = true;
  return changed ? ({ ...line, ...fix, ts }) : line;
}
