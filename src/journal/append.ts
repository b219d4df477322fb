import { constants } from "node:fs";
import { lstat, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { ensureDir, isMissingDir } from "./ensure-dir.js";

/**
 * Opens never follow a symlink (one planted at the journal's path would make the service append
 * to any file it can write: ELOOP instead, counted as a write error) and never block (a FIFO put
 * there fails with ENXIO instead of hanging), and a new journal is readable by the service's user
 * only: it holds client IDs, error messages and IP addresses.
 */
const FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const MODE = 0o600;
const BACK_STEP = 64 * 1024;

/** What an append did: bytes that reached the file (all of them unless `error` is set). */
export interface AppendOutcome {
  bytes: number;
  error?: unknown;
  /** Bytes of a torn last line cut before the append (see `cutTornTail`). */
  cut: number;
}

/** Refuses anything but a regular file (a device, FIFO or socket put at the journal's path later). */
export class NotAFileError extends Error {
  readonly code = "ENOTREG";
  constructor(path: string) {
    super(`'${path}' is not a regular file`);
  }
}

async function openJournal(path: string): Promise<FileHandle> {
  try {
    return await open(path, FLAGS, MODE);
  } catch (err) {
    // The folder is created on demand (first write, or deleted meanwhile), then tried once more.
    if (!isMissingDir(err)) throw err;
    await ensureDir(dirname(path));
    return await open(path, FLAGS, MODE);
  }
}

/** How every line the writer writes begins: a torn tail is cut only if it begins so. */
const LINE_START = Buffer.from('{"ts":"');
const NEWLINE = Buffer.from("\n");

/**
 * Cuts what follows the last newline (a line torn by a crash or by a failed write), so the next
 * line appended starts a line of its own. Returns the bytes cut. A tail that is not the start of
 * a journal line (the path names some other file) is never cut: a newline ends it instead, and
 * the reader skips it with a warning.
 */
async function cutTail(fh: FileHandle, size: number): Promise<number> {
  const buf = Buffer.alloc(Math.min(BACK_STEP, size));
  let keep = 0;
  for (let end = size; end > 0;) {
    const start = Math.max(0, end - buf.length);
    const { bytesRead } = await fh.read(buf, 0, end - start, start);
    const at = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (at >= 0) {
      keep = start + at + 1;
      break;
    }
    end = start;
  }
  if (keep === size) return 0;
  const head = Buffer.alloc(Math.min(LINE_START.length, size - keep));
  await fh.read(head, 0, head.length, keep);
  if (!head.equals(LINE_START.subarray(0, head.length))) {
    await fh.write(NEWLINE, 0, 1, size);
    return 0;
  }
  await fh.truncate(keep);
  return size - keep;
}

/**
 * Appends `data` to the journal file, writing on from where a short write stopped, and reports
 * how many bytes landed even when it fails midway (ENOSPC): a retry then resends only the rest.
 * With `cutTorn`, a torn last line is cut first. The path must be (or become) a regular file.
 */
export async function appendToJournal(path: string, data: Buffer, cutTorn: boolean): Promise<AppendOutcome> {
  let fh: FileHandle;
  try {
    fh = await openJournal(path);
  } catch (error) {
    return { bytes: 0, cut: 0, error };
  }
  let bytes = 0;
  let cut = 0;
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw new NotAFileError(path);
    if (cutTorn && s.size > 0) cut = await cutTail(fh, s.size);
    while (bytes < data.length) {
      const { bytesWritten } = await fh.write(data, bytes, data.length - bytes);
      if (bytesWritten === 0) throw new Error("journal: write wrote nothing");
      bytes += bytesWritten;
    }
    return { bytes, cut };
  } catch (error) {
    return { bytes, cut, error };
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Cuts a torn last line of an existing regular file (the journal at open); 0 when there was none. */
export async function cutTornTail(path: string): Promise<number> {
  try {
    if (!(await lstat(path)).isFile()) return 0;
  } catch {
    return 0;
  }
  const fh = await open(path, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const s = await fh.stat();
    return s.isFile() && s.size > 0 ? await cutTail(fh, s.size) : 0;
  } finally {
    await fh.close().catch(() => undefined);
  }
}
