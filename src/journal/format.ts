import type { JournalEvent } from "./events.js";

// Characters JSON.stringify escapes in a string: quote, backslash, controls, lone surrogates.
// (A valid surrogate pair matches too; it then takes the JSON.stringify path, which keeps it.)
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function str(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function strOrNull(s: string | null | undefined): string {
  return s === null || s === undefined ? "null" : str(s);
}

function num(n: number): string {
  return Number.isFinite(n) ? `${n}` : "null";
}

function numOrNull(n: number | null | undefined): string {
  return n === null || n === undefined ? "null" : num(n);
}

/**
 * One journal line (without the newline): the same JSON as `JSON.stringify(event)` for the
 * events the collector emits, written field by field. Recording sits on the hot path and
 * JSON.stringify of these small, differently shaped objects cost ~0.4 µs per event; this is
 * several times cheaper. Fields appear in the documented order; optional ones only when set.
 */
export function serializeJournalEvent(e: JournalEvent): string {
  const head = `{"ts":${str(e.ts)},"kind":"${e.kind}"${e.connection === undefined ? "" : `,"connection":${str(e.connection)}`}`;
  switch (e.kind) {
    case "publish":
      return `${head},"queued":${e.queued ? "true" : "false"}}`;
    case "connection_drop":
      return (
        `${head},"error_name":${strOrNull(e.error_name)},"error_message":${strOrNull(e.error_message)},"error_code":${numOrNull(e.error_code)}` +
        `,"reconnect_attempt":${num(e.reconnect_attempt)},"active_subscriptions":${num(e.active_subscriptions)},"queued_commands":${num(e.queued_commands)}` +
        `${e.disconnect_reason_code === undefined ? "" : `,"disconnect_reason_code":${numOrNull(e.disconnect_reason_code)}`}}`
      );
    case "connection_success":
      return (
        `${head},"event_type":${str(e.event_type)},"session_present":${e.session_present ? "true" : "false"},"return_code":${numOrNull(e.return_code)}` +
        `,"attempt_number":${num(e.attempt_number)}${e.keep_alive_seconds === undefined ? "" : `,"keep_alive_seconds":${numOrNull(e.keep_alive_seconds)}`}}`
      );
    case "connection_failure":
      return (
        `${head},"error_name":${strOrNull(e.error_name)}${e.error_message === undefined ? "" : `,"error_message":${strOrNull(e.error_message)}`}` +
        `,"error_code":${numOrNull(e.error_code)}${e.connack_reason_code === undefined ? "" : `,"connack_reason_code":${numOrNull(e.connack_reason_code)}`}}`
      );
    case "connection_attempt":
      return `${head}}`;
    case "connection_stopped":
      return `${head}${e.reason === undefined ? "" : `,"reason":${str(e.reason)}`}}`;
    case "probe":
      return `${head},"rtt_seconds":${numOrNull(e.rtt_seconds)}}`;
    default:
      // Not a kind we know (a caller's own object): the generic path keeps every field.
      return JSON.stringify(e);
  }
}
