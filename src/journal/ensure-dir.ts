import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";

const codeOf = (err: unknown): unknown => (err as NodeJS.ErrnoException | null)?.code;

/**
 * `mkdir -p` that always ends. Node's `mkdir(dir, { recursive: true })` never settles (a libuv
 * thread spins) when a parent exists but cannot hold children: anything under /proc or /sys,
 * or a dangling symlink. It answers ENOENT there, which the recursive walk reads as "create the
 * parent first", forever. This walk creates each missing folder once and reports the failure.
 */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ;) {
    try {
      await stat(d);
      break;
    } catch (err) {
      if (codeOf(err) !== "ENOENT") throw err;
      missing.push(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  for (const d of missing.reverse()) {
    try {
      // Owner only: the journal's folder holds its rotated files too (see append.ts).
      await mkdir(d, { mode: 0o700 });
    } catch (err) {
      // EEXIST: created meanwhile, or a dangling symlink (the next level then fails ENOENT).
      if (codeOf(err) !== "EEXIST") throw err;
    }
  }
}

/** True for the error a missing folder gives. */
export function isMissingDir(err: unknown): boolean {
  return codeOf(err) === "ENOENT";
}
