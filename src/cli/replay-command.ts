import { LifecycleFileError } from "../replay/lifecycle-file.js";
import { JournalNotFoundError, replayDocument, replayJournal } from "../replay/replay.js";
import { escapeControlsDeep } from "../text/escape-controls.js";
import { plural } from "../text/plural.js";
import { checkJournalInput, ReplayWarnings } from "./replay-input.js";
import { UsageError } from "../errors.js";
import { checkChoice, parseCommandArgs } from "./flag-table.js";
import { REPLAY } from "./replay-options.js";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parseAt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!ISO_INSTANT.test(value) || Number.isNaN(ms)) throw new UsageError(`--at: '${value}' is not an ISO 8601 instant (e.g. 2026-03-01T12:00:00Z)`);
  return ms;
}

function parseMaxEvents(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 10_000_000) {
    throw new UsageError(`--max-events: '${value}' must be a whole number from 1 to 10000000`);
  }
  return n;
}

export async function replayCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(REPLAY, args);
  if (positionals.length !== 1) throw new UsageError("expects exactly one JOURNAL path");
  const format = checkChoice("format", REPLAY.flags.format, values.format);
  const atMs = parseAt(values.at);
  const maxEvents = parseMaxEvents(values["max-events"]);
  const journal = positionals[0] as string;
  checkJournalInput(journal);
  const warnings = new ReplayWarnings();
  let result;
  try {
    result = await replayJournal({
      journal,
      logger: warnings.logger,
      ...(atMs !== undefined ? { atMs } : {}),
      ...(maxEvents !== undefined ? { maxEvents } : {}),
      ...(values.connection !== undefined ? { connection: values.connection } : {}),
      ...(values.lifecycle !== undefined ? { lifecycle: values.lifecycle } : {}),
    });
  } catch (err) {
    if (err instanceof JournalNotFoundError || err instanceof LifecycleFileError) throw new UsageError(err.message);
    throw err;
  }
  const { lines, skipped } = result.stats;
  if (lines === 0) throw new UsageError(`'${journal}': no events (the journal is empty)`);
  if (lines === skipped) {
    throw new UsageError(
      `'${journal}': no events: ${lines === 1 ? "its only line is not" : `none of its ${plural(lines, "line")} is`} a journal event (first: ${warnings.first() ?? "invalid"})`,
    );
  }
  warnings.print((text) => process.stderr.write(text));
  if (values.connection !== undefined && result.collector === undefined) {
    throw new UsageError(`--connection: no events for connection '${values.connection}' (found: ${result.registry.names().join(", ") || "none"})`);
  }
  const doc = replayDocument(result, values.connection);
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    // Loaded only for text: start-up is part of every replay's cost.
    const [{ formatSummary }, { formatDiagnosis }] = await Promise.all([import("../collector/summary-text.js"), import("../diagnosis/format.js")]);
    // What the journal and AWS's events hold reaches a terminal: control characters shown, never acted on.
    const shown = escapeControlsDeep(doc);
    process.stdout.write(formatSummary(shown) + formatDiagnosis(shown.diagnosis));
  }
  return 0;
}
