import { readFile } from "node:fs/promises";
import type { LifecycleEvent, ParsedLifecycle } from "../aws-join/events.js";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import { lifecycleLineEvent } from "./lifecycle-line.js";

/** A lifecycle file that cannot be used: one line for the user, exit 2. */
export class LifecycleFileError extends Error {}

/** At most this many unreadable lines are named; more are counted. */
const MAX_NAMED = 5;

export interface LifecycleFile {
  events: LifecycleEvent[];
  /** Lines that are not an AWS lifecycle event (e.g. subscribe events), with why. */
  skipped: { line: number; why: string }[];
  skippedCount: number;
}

/** The line `text[from, to)` (without its line break): its event, or why it is skipped; null when blank. */
function lineEvent(text: string, from: number, to: number): ParsedLifecycle | null {
  const start = text.indexOf("{", from);
  if (start < 0 || start >= to) return text.slice(from, to).trim() === "" ? null : { ok: false, error: "not JSON" };
  return lifecycleLineEvent(text.slice(start, to));
}

/**
 * Reads AWS lifecycle events exported as JSON Lines, one event per line, as an IoT rule writes
 * them to S3 or CloudWatch Logs. A CloudWatch Logs export prefixes each message with its time,
 * so a line is read from its first `{`. Blank lines are ignored. One pass over the text, each
 * line cut where it lies (no split, no per-line regex) and checked by name (lifecycle-line.ts).
 */
export async function readLifecycleFile(path: string): Promise<LifecycleFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new LifecycleFileError(`--lifecycle: cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const out: LifecycleFile = { events: [], skipped: [], skippedCount: 0 };
  for (let from = 0, line = 1; from < text.length; line++) {
    let end = text.indexOf("\n", from);
    if (end < 0) end = text.length;
    // A CRLF file's lines end at the CR (as splitting on /\r?\n/ did).
    const to = end > from && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const parsed = lineEvent(text, from, to);
    if (parsed?.ok === true) out.events.push(parsed.event);
    else if (parsed !== null) {
      out.skippedCount++;
      if (out.skipped.length < MAX_NAMED) out.skipped.push({ line, why: parsed.error });
    }
    from = end + 1;
  }
  if (out.events.length === 0) throw new LifecycleFileError(`--lifecycle: '${path}' holds no AWS lifecycle event (connected, disconnected, connect_failed)`);
  return out;
}

/**
 * Which collector gets which events: a collector whose journal names its client ID gets that
 * client ID's events; when no journal line names one and the file holds a single client ID,
 * the selected collector gets them all. Events after `untilMs` (AWS's time) are left out, as
 * replay leaves out journal lines after `--at`.
 */
export function assignLifecycleEvents(
  file: LifecycleFile,
  collectors: readonly MqttDiagnosticsCollector[],
  selected: MqttDiagnosticsCollector | undefined,
  untilMs: number | undefined,
): Map<MqttDiagnosticsCollector, LifecycleEvent[]> {
  const events = untilMs === undefined ? file.events : file.events.filter((e) => e.timestamp <= untilMs);
  const clientIds = [...new Set(file.events.map((e) => e.clientId))];
  const out = new Map<MqttDiagnosticsCollector, LifecycleEvent[]>();
  for (const c of collectors) {
    const id = c.lifecycleClientId;
    if (id !== null && clientIds.includes(id))
      out.set(
        c,
        events.filter((e) => e.clientId === id),
      );
  }
  if (out.size > 0) return out;
  const named = collectors.map((c) => c.lifecycleClientId).filter((id): id is string => id !== null);
  if (clientIds.length === 1 && selected !== undefined && named.length === 0) {
    out.set(selected, events);
    return out;
  }
  const journalSays = named.length > 0 ? `the journal's client ID${named.length > 1 ? "s are" : " is"} ${named.join(", ")}` : "the journal names no client ID";
  throw new LifecycleFileError(
    `--lifecycle: no events for the journal's client: ${journalSays}; the file holds ${clientIds.slice(0, 5).join(", ")}${clientIds.length > 5 ? ", …" : ""}`,
  );
}
