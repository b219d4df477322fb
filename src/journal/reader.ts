import { createReadStream } from "node:fs";
import type { LoggerLike } from "../collector/logger.js";
import { DEFAULT_CONNECTION, type JournalEvent } from "./events.js";
import { type CheckpointLine, toCheckpoint } from "./checkpoint.js";
import { journalFiles } from "./files.js";
import { parseJournalLine } from "./parse.js";

export type { CheckpointLine };

export type JournalEntry = { type: "event"; event: JournalEvent } | { type: "checkpoint"; checkpoint: CheckpointLine };

export interface ReadStats {
  files: string[];
  lines: number;
  /** Lines not applied: corrupt, invalid, or of an unknown kind. */
  skipped: number;
  /** Skipped lines of kinds this version does not know, per kind (one warning per kind). */
  unknownKinds?: Record<string, number>;
}

/**
 * The file's lines, a chunk's worth at a time: a large-chunk split is several times faster than
 * node:readline, and handing over arrays saves the per-line promise of an async iterator.
 */
async function* linesOf(file: string): AsyncGenerator<string[]> {
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    const batch: string[] = [];
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      batch.push(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (batch.length > 0) yield batch;
  }
  if (rest !== "") yield [rest];
}

// Cheap pre-check so ordinary lines pay no second parse.
function looksLikeCheckpoint(line: string): boolean {
  return line.includes('"kind":"checkpoint"');
}

/**
 * Streams every entry of a journal (a rotated set, oldest file first). A torn or corrupt line
 * is skipped with a warning naming the file and line; it never stops the read.
 */
export async function* readJournal(
  path: string,
  options: { logger?: LoggerLike; stats?: ReadStats } = {},
): AsyncGenerator<JournalEntry> {
  for await (const batch of readJournalBatches(path, options)) yield* batch;
}

/** `readJournal`, an array of entries at a time: what restore and replay use (a 1M-line journal). */
export async function* readJournalBatches(
  path: string,
  options: { logger?: LoggerLike; stats?: ReadStats } = {},
): AsyncGenerator<JournalEntry[]> {
  const logger = options.logger ?? console;
  const stats = options.stats ?? { files: [], lines: 0, skipped: 0 };
  for (const file of await journalFiles(path)) {
    stats.files.push(file);
    let lineNo = 0;
    for await (const lines of linesOf(file)) {
      const entries: JournalEntry[] = [];
      for (const raw of lines) {
        lineNo++;
        const text = raw.trim();
        if (text === "") continue;
        stats.lines++;
        if (looksLikeCheckpoint(text)) {
          const checkpoint = parseCheckpoint(text);
          if (checkpoint.ok) {
            entries.push({ type: "checkpoint", checkpoint: checkpoint.checkpoint });
            continue;
          }
          if (checkpoint.reason !== "") {
            stats.skipped++;
            logger.warn({ file, line: lineNo, reason: checkpoint.reason }, `journal: skipping ${file}:${lineNo}: ${checkpoint.reason}`);
            continue;
          }
        }
        const parsed = parseJournalLine(text);
        if (parsed.ok) {
          entries.push({ type: "event", event: parsed.event });
        } else if (parsed.unknownKind !== undefined) {
          // A newer version's kind: counted, and warned about once per kind, not per line.
          stats.skipped++;
          // No prototype: a kind named `__proto__` or `toString` is counted (and warned) like any.
          const unknown = (stats.unknownKinds ??= Object.create(null) as Record<string, number>);
          const seen = unknown[parsed.unknownKind] ?? 0;
          unknown[parsed.unknownKind] = seen + 1;
          if (seen === 0) {
            logger.warn(
              { file, line: lineNo, kind: parsed.unknownKind },
              `journal: skipping lines of unknown kind '${parsed.unknownKind}' (first at ${file}:${lineNo})`,
            );
          }
        } else {
          stats.skipped++;
          logger.warn({ file, line: lineNo, reason: parsed.reason }, `journal: skipping ${file}:${lineNo}: ${parsed.reason}`);
        }
      }
      if (entries.length > 0) yield entries;
    }
  }
}

/** A checkpoint line's validation; reason "" when the line is not a checkpoint after all. */
function parseCheckpoint(text: string): { ok: true; checkpoint: CheckpointLine } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "" };
  }
  if (typeof value !== "object" || value === null || (value as { kind?: unknown }).kind !== "checkpoint") return { ok: false, reason: "" };
  return toCheckpoint(value as Record<string, unknown>);
}

export function connectionOf(entry: { connection?: string }): string {
  return entry.connection ?? DEFAULT_CONNECTION;
}
