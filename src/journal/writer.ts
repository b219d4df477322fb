import { rename, rm, stat } from "node:fs/promises";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import { isoTimestamp, systemClock, type Clock } from "../clock.js";
import type { LoggerLike } from "../collector/logger.js";
import type { CollectorRegistry } from "../collector/registry.js";
import { DEFAULT_CONNECTION, type JournalEvent } from "./events.js";
import { appendToJournal, cutTornTail } from "./append.js";
import { journalFiles, rotatedPath, suffixOf } from "./files.js";
import { serializeJournalEvent } from "./format.js";

export interface JournalWriterOptions {
  path: string;
  /** Rotate once the event lines in the active file reach this many bytes (default 64 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the active one (default 5). */
  retainFiles?: number;
  /** Buffered lines reach the disk at least this often (default 1000 ms). */
  flushIntervalMs?: number;
  /** Unwritten data kept for a retry after a write error, at most (default 8 MiB). */
  maxPendingBytes?: number;
  logger?: LoggerLike;
  clock?: Clock;
}

export const DEFAULT_JOURNAL_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_JOURNAL_RETAIN_FILES = 5;

/** A point in the buffer where the active file is rotated; its checkpoints open the next file. */
interface RotationMark {
  checkpoints: string[];
}

/**
 * Appends journal lines, buffered in memory and flushed at least every second and on close.
 * Recording never waits for the disk and never sees a write error: errors are counted, logged
 * and the data kept for a retry (up to a bound, beyond which lines are dropped and counted).
 */
export class JournalWriter {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly retainFiles: number;
  private readonly maxPendingBytes: number;
  private readonly logger: LoggerLike;
  private readonly clock: Clock;
  private buffer: (string | RotationMark)[] = [];
  private bufferedBytes = 0;
  /** Bytes of event lines in the active file once everything buffered is written. */
  private projectedSize = 0;
  private sizeKnown: Promise<void>;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private collectors: MqttDiagnosticsCollector[] = [];
  private closed = false;
  private errors = 0;
  private dropped = 0;
  private written = 0;
  /** The active file may end in a torn line (a crash, a failed write): cut it before appending. */
  private mayBeTorn = false;
  /** A rotation failed: retried at the next append. */
  private rotationPending = false;

  constructor(options: JournalWriterOptions) {
    this.path = options.path;
    this.maxBytes = options.maxBytes ?? DEFAULT_JOURNAL_MAX_BYTES;
    this.retainFiles = options.retainFiles ?? DEFAULT_JOURNAL_RETAIN_FILES;
    this.maxPendingBytes = options.maxPendingBytes ?? 8 * 1024 * 1024;
    this.logger = options.logger ?? console;
    this.clock = options.clock ?? systemClock;
    this.sizeKnown = this.open();
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Write failures so far (the `mqtt_diagnostics_journal_write_errors_total` metric). */
  get writeErrors(): number {
    return this.errors;
  }

  /** Lines given up after write errors filled the retry buffer. */
  get droppedLines(): number {
    return this.dropped;
  }

  /** Bytes buffered and not yet on disk. */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  get linesWritten(): number {
    return this.written;
  }

  // A torn last line (the previous process crashed mid-write) is cut, so no appended line is glued to it.
  private async open(): Promise<void> {
    try {
      await cutTornTail(this.path);
    } catch {
      this.mayBeTorn = true;
    }
    this.projectedSize += await stat(this.path).then(
      (s) => s.size,
      () => 0,
    );
  }

  /** Journals every event of every collector in the registry, present and future. */
  attach(registry: CollectorRegistry): () => void {
    const detachers: (() => void)[] = [];
    const stopCreated = registry.onCreated((collector) => {
      this.collectors.push(collector);
      // Persist phase: after the instruments, and never fed the lines a restore reads back.
      detachers.push(collector.onEvent((e) => this.append(e.line), { phase: "persist" }));
    });
    return () => {
      stopCreated();
      for (const d of detachers) d();
      this.collectors = [];
    };
  }

  append(event: JournalEvent): void {
    if (this.closed) return;
    const line = `${serializeJournalEvent(event)}\n`;
    const bytes = Buffer.byteLength(line);
    this.buffer.push(line);
    this.bufferedBytes += bytes;
    this.projectedSize += bytes;
    // The collectors' state already includes this event, so the line must stay before the
    // checkpoint: a file ends at the first line that reaches max_bytes.
    if (this.projectedSize >= this.maxBytes || this.rotationPending) this.markRotation();
  }

  // Snapshots are taken now, synchronously, so they describe exactly the lines before the mark.
  private markRotation(): void {
    this.rotationPending = false;
    const ts = isoTimestamp(this.clock.now());
    const checkpoints = this.collectors.map((c) => {
      const line = JSON.stringify({
        ts,
        kind: "checkpoint",
        ...(c.connection === DEFAULT_CONNECTION ? {} : { connection: c.connection }),
        state: c.snapshot(),
      });
      return `${line}\n`;
    });
    this.buffer.push({ checkpoints });
    // Checkpoints do not count towards max_bytes: they grow with retention, not with time,
    // and counting them could make every following line rotate again.
    this.projectedSize = 0;
  }

  /** Writes what is buffered; resolves when it is on disk (or has failed and been counted). */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.writeBuffered());
    return this.chain;
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    this.closed = true;
  }

  private async writeBuffered(): Promise<void> {
    await this.sizeKnown;
    if (this.buffer.length === 0) return;
    const items = this.buffer;
    this.buffer = [];
    this.bufferedBytes = 0;
    let chunk: string[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as string | RotationMark;
      if (typeof item === "string") {
        chunk.push(item);
        continue;
      }
      const landed = await this.write(chunk);
      if (landed < chunk.length) {
        this.requeue(chunk.slice(landed), items.slice(i));
        return;
      }
      if (await this.rotate()) {
        chunk = [...item.checkpoints];
      } else {
        // The lines go on into the active file (a file over max_bytes loses nothing; a stalled
        // buffer would). The next append marks a new rotation, with fresh checkpoints.
        chunk = [];
        this.rotationPending = true;
      }
    }
    const landed = await this.write(chunk);
    if (landed < chunk.length) this.requeue(chunk.slice(landed), []);
  }

  /** Writes the lines; returns how many are on disk in full (all, or fewer after a failed write). */
  private async write(lines: string[]): Promise<number> {
    if (lines.length === 0) return 0;
    const out = await appendToJournal(this.path, Buffer.from(lines.join("")), this.mayBeTorn);
    if (out.error === undefined) {
      this.mayBeTorn = false;
      this.written += lines.length;
      return lines.length;
    }
    // A write can fail midway (ENOSPC): the lines that landed whole stay written and are never
    // sent again; the torn rest of the next one is cut before the retry, which resends it whole.
    let landed = 0;
    for (let at = 0; landed < lines.length; landed++) {
      at += Buffer.byteLength(lines[landed] as string);
      if (at > out.bytes) break;
    }
    this.mayBeTorn = true;
    this.written += landed;
    this.errors++;
    this.logger.error({ err: out.error, path: this.path }, "journal: write failed; will retry");
    return landed;
  }

  private async rotate(): Promise<boolean> {
    try {
      // Oldest first (highest suffix); only files that exist, so a large retain_files costs nothing.
      const existing = (await journalFiles(this.path)).map((file) => suffixOf(this.path, file));
      for (const n of existing) {
        if (n >= this.retainFiles) await rm(rotatedPath(this.path, n), { force: true });
        else await rename(rotatedPath(this.path, n), rotatedPath(this.path, n + 1));
      }
      return true;
    } catch (err) {
      this.errors++;
      this.logger.error({ err, path: this.path }, "journal: rotation failed; will retry");
      return false;
    }
  }

  // Puts unwritten lines back in front of anything appended meanwhile, within the bound.
  private requeue(chunk: string[], rest: (string | RotationMark)[]): void {
    const back: (string | RotationMark)[] = [...chunk, ...rest, ...this.buffer];
    let bytes = 0;
    for (const item of back) if (typeof item === "string") bytes += Buffer.byteLength(item);
    while (bytes > this.maxPendingBytes && back.length > 0) {
      const first = back.shift();
      if (typeof first === "string") {
        bytes -= Buffer.byteLength(first);
        this.dropped++;
      }
    }
    this.buffer = back;
    this.bufferedBytes = bytes;
  }
}
