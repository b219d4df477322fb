import { readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** `journal.jsonl.N` is the N-th newest rotated file; the active file has no suffix. */
export function rotatedPath(path: string, n: number): string {
  return n === 0 ? path : `${path}.${n}`;
}

/** The journal's files that exist, oldest first (highest suffix first, the active file last). */
export async function journalFiles(path: string): Promise<string[]> {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const found: { n: number; file: string }[] = [];
  for (const name of names) {
    if (name === base) found.push({ n: 0, file: join(dir, name) });
    else if (name.startsWith(`${base}.`)) {
      const suffix = name.slice(base.length + 1);
      if (/^[1-9]\d{0,5}$/.test(suffix)) found.push({ n: Number(suffix), file: join(dir, name) });
    }
  }
  return found.sort((a, b) => b.n - a.n).map((f) => f.file);
}

/** The rotation number of one of `path`'s files (0 for the active file). */
export function suffixOf(path: string, file: string): number {
  return file.length === path.length ? 0 : Number(file.slice(path.length + 1));
}
