import { lstat, open } from "node:fs/promises";
import type { LoggerLike } from "../collector/logger.js";
import { DEFAULT_CONNECTION, type JournalEntry } from "./events.js";
import { type CheckpointLine, toCheckpoint } from "./checkpoint.js";
import { journalFiles } from "./files.js";
import { parseTimedLine } from "./parse.js";
import { RepeatedLines } from "./repeated-lines.js";

export type { CheckpointLine };

export interface ReadStats {
  files: string[];
  lines: number;
  /** Lines not applied: corrupt, invalid, or of an unknown kind. */
  skipped: number;
  /** Skipped lines of kinds this version does not know, per kind (one warning per kind). */
  unknownKinds?: Record<string, number>;
}

/** Bytes read at a time; a longer line grows the buffer. */
const CHUNK_BYTES = 4 << 20;
/**
 * Bytes decoded into one string (cut at a newline): a string this small is made in the nursery,
 * three times faster than a 4 MiB one in the large-object space.
 */
const PIECE_BYTES = 64 << 10;
const NEWLINE = 0x0a;
/** Entries handed over at a time. */
const BATCH_ENTRIES = 1024;

/**
 * The file's text, a piece of whole lines at a time (without the newline after the piece). Each
 * chunk read is cut at newlines and decoded once (a newline byte is never inside a UTF-8
 * sequence, so no character is split): no stream, no string decoder, no joining of strings.
 * The next chunk is read (into a second buffer, after the partial line carried over) while this
 * one's lines are handed out, so the disk and the thread pool work while the lines are applied.
 */
async function* textsOf(file: string): AsyncGenerator<string> {
  const handle = await open(file, "r");
  let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let spare = Buffer.allocUnsafe(CHUNK_BYTES);
  let kept = 0;
  let pending: Promise<{ bytesRead: number }> | undefined = handle.read(buffer, 0, buffer.length, null);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) break;
      const end = kept + bytesRead;
      const lastNewline = buffer.lastIndexOf(NEWLINE, end - 1);
      if (lastNewline === -1) {
        // A line longer than the buffer: grow it and read on.
        if (end === buffer.length) {
          const bigger = Buffer.allocUnsafe(buffer.length * 2);
          buffer.copy(bigger, 0, 0, end);
          buffer = bigger;
        }
        kept = end;
        pending = handle.read(buffer, kept, buffer.length - kept, null);
        continue;
      }
      const current = buffer;
      if (spare.length < current.length) spare = Buffer.allocUnsafe(current.length);
      kept = current.copy(spare, 0, lastNewline + 1, end);
      buffer = spare;
      spare = current;
      pending = handle.read(buffer, kept, buffer.length - kept, null);
      for (let from = 0; ;) {
        let cut = lastNewline;
        if (cut - from > PIECE_BYTES) {
          cut = current.lastIndexOf(NEWLINE, from + PIECE_BYTES);
          if (cut < from) cut = current.indexOf(NEWLINE, from + PIECE_BYTES);
        }
        yield current.toString("utf8", from, cut);
        if (cut === lastNewline) break;
        from = cut + 1;
      }
    }
    if (kept > 0) yield buffer.toString("utf8", 0, kept);
  } finally {
    // A reader that stopped early may leave a read in flight: it finishes before the file closes.
    if (pending !== undefined) await pending.catch(() => undefined);
    await handle.close();
  }
}

// Cheap pre-check so ordinary lines pay no second parse.
function looksLikeCheckpoint(line: string): boolean {
  return line.includes('"kind":"checkpoint"');
}

/**
 * Streams every entry of a journal (a rotated set, oldest file first). A torn or corrupt line
 * is skipped with a warning naming the file and line; it never stops the read.
 */
export async function* readJournal(path: string, options: { logger?: LoggerLike; stats?: ReadStats } = {}): AsyncGenerator<JournalEntry> {
  for await (const batch of readJournalBatches(path, options)) yield* batch;
}

/**
 * `readJournal`, an array of entries at a time: what restore and replay use (a 1M-line journal).
 * `regularOnly` (restore): a file that is not a regular file (a FIFO would block the read for
 * ever) is skipped with a warning, never opened.
 */
export async function* readJournalBatches(
  path: string,
  options: { logger?: LoggerLike; stats?: ReadStats; regularOnly?: boolean } = {},
): AsyncGenerator<JournalEntry[]> {
  const logger = options.logger ?? console;
  const stats = options.stats ?? { files: [], lines: 0, skipped: 0 };
  const repeated = new RepeatedLines(stats);
  for (const file of await journalFiles(path)) {
    if (options.regularOnly === true && !(await lstat(file)).isFile()) {
      logger.warn({ file }, `journal: skipping ${file}: not a regular file`);
      continue;
    }
    stats.files.push(file);
    const lines = new FileLines(new LineChecks(file, stats, logger, repeated), repeated);
    for await (const text of textsOf(file)) {
      for (let from = 0; from <= text.length;) {
        const entries: JournalEntry[] = [];
        from = lines.fill(entries, text, from);
        if (entries.length > 0) yield entries;
      }
    }
  }
}

/** Cuts a file's text into lines and entries; a plain loop, out of the async generator. */
class FileLines {
  private lineNo = 0;

  constructor(
    private readonly slow: LineChecks,
    private readonly repeated: RepeatedLines,
  ) {}

  /**
   * Adds the entries of `text`'s lines from `from` to `entries`, at most BATCH_ENTRIES (small
   * batches: entries die young, in the nursery); returns where to go on (past the end: done).
   */
  fill(entries: JournalEntry[], text: string, from: number): number {
    while (from <= text.length && entries.length < BATCH_ENTRIES) {
      this.lineNo++;
      // Most lines repeat an earlier one but for `ts`: those are built without parsing, and the
      // one expected next is checked where it would end, without searching for the newline.
      let entry = this.repeated.lookupNext(text, from);
      let to = this.repeated.end;
      if (entry === undefined) {
        to = text.indexOf("\n", from);
        if (to === -1) to = text.length;
        entry = this.repeated.lookup(text, from, to) ?? this.slow.entryOf(text.slice(from, to), this.lineNo);
      }
      if (entry !== undefined) entries.push(entry);
      from = to + 1;
    }
    return from;
  }
}

/** Everything about a line that is not a repeat: blank, checkpoint, parsed event or warning. */
class LineChecks {
  constructor(
    private readonly file: string,
    private readonly stats: ReadStats,
    private readonly logger: Pick<LoggerLike, "warn">,
    private readonly repeated: RepeatedLines,
  ) {}

  entryOf(raw: string, lineNo: number): JournalEntry | undefined {
    const { file, stats, logger } = this;
    const text = raw.trim();
    if (text === "") return undefined;
    stats.lines++;
    if (looksLikeCheckpoint(text)) {
      const checkpoint = parseCheckpoint(text);
      if (checkpoint.ok) return { type: "checkpoint", checkpoint: checkpoint.checkpoint };
      if (checkpoint.reason !== "") {
        stats.skipped++;
        logger.warn({ file, line: lineNo, reason: checkpoint.reason }, `journal: skipping ${file}:${lineNo}: ${checkpoint.reason}`);
        return undefined;
      }
    }
    const parsed = parseTimedLine(text);
    if (parsed.ok) {
      this.repeated.remember(text, parsed.event);
      return { type: "event", event: parsed.event, at: parsed.at, inShape: false };
    }
    stats.skipped++;
    if (parsed.unknownKind !== undefined) {
      // A newer version's kind: counted, and warned about once per kind, not per line.
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
      logger.warn({ file, line: lineNo, reason: parsed.reason }, `journal: skipping ${file}:${lineNo}: ${parsed.reason}`);
    }
    return undefined;
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
