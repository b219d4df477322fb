import { internMessage, internName } from "./interned.js";

/**
 * The `error_name` label of a drop or failure that is not an aws-crt error, and of one that came
 * without any error at all.
 */
export const UNKNOWN_ERROR_LABEL = "unknown";
export const NO_ERROR_LABEL = "none";

/** How a drop's error reads in human text (status page timeline, `replay --format text`). */
export function errorText(d: { error_name: string | null; error_message: string | null }): string {
  return d.error_name ?? (d.error_message !== null ? "unknown error" : "no error");
}

/** The three facts the original module keeps about an error, as they appear in the export. */
export interface ErrorInfo {
  error_name: string | null;
  error_message: string | null;
  error_code: number | null;
}

/** Error messages can quote peer data; bound them so no record grows without limit. */
export const MAX_ERROR_MESSAGE_LENGTH = 512;

/**
 * Names (error names, event types, stop reasons) become label values and journal fields; a
 * real one is a few dozen characters, so anything longer is cut rather than carried.
 */
export const MAX_NAME_LENGTH = 256;

/** `text` cut to `max` characters (the last one an ellipsis when cut). */
export function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A name bounded to MAX_NAME_LENGTH; null stays null. */
export function boundName<T extends string | null>(name: T): T {
  return (name === null ? name : bounded(name, MAX_NAME_LENGTH)) as T;
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;

/**
 * What an error message may carry into the export, the journal, logs and labels: key material
 * and certificates (PEM blocks) are redacted, and the length is bounded.
 */
export function truncateMessage(message: string | null): string | null {
  if (message === null) return null;
  const clean = message.includes("-----BEGIN ") ? message.replace(PEM_BLOCK, "[PEM redacted]") : message;
  return bounded(clean, MAX_ERROR_MESSAGE_LENGTH);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * Normalises whatever an SDK callback handed us. aws-crt's `CrtError` carries `error_name`
 * and `error_code` (the original module's `AwsCrtError.name`/`.code`); any other error keeps
 * only its message, exactly as the original does for a non-CRT exception.
 */
export function describeError(error: unknown): ErrorInfo {
  if (error === null || error === undefined) {
    return { error_name: null, error_message: null, error_code: null };
  }
  if (isRecord(error)) {
    const name = error["error_name"];
    const code = error["error_code"];
    const message = error instanceof Error ? error.message : error["message"];
    const text = typeof message === "string" ? message : "";
    // An empty name is no CRT name (the original's `if error_name:`), so the journal round-trips it.
    if (typeof name === "string" && name !== "" && typeof code === "number") {
      return { error_name: internName(boundName(name)), error_message: internMessage(truncateMessage(text)), error_code: code };
    }
    return { error_name: null, error_message: internMessage(truncateMessage(text)), error_code: null };
  }
  const text =
    typeof error === "string" ? error : typeof error === "number" || typeof error === "boolean" || typeof error === "bigint" ? `${error}` : typeof error;
  return { error_name: null, error_message: truncateMessage(text), error_code: null };
}

/**
 * The `error_name` label value: the CRT name, `unknown` for an error that is not a CRT error,
 * `none` for a drop without any error.
 */
export function errorLabel(info: Pick<ErrorInfo, "error_name" | "error_message">): string {
  if (info.error_name) return info.error_name;
  return info.error_message !== null ? UNKNOWN_ERROR_LABEL : NO_ERROR_LABEL;
}
