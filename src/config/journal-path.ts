import { lstatSync, statSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { ConfigError } from "./errors.js";

function kindOf(path: string): "directory" | "other" | "missing" {
  try {
    return statSync(path).isDirectory() ? "directory" : "other";
  } catch {
    return "missing";
  }
}

function lstatOf(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** What a special file is, in words; undefined for a regular file. */
function specialKind(s: Stats): string | undefined {
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  return s.isFile() || s.isDirectory() || s.isSymbolicLink() ? undefined : "not a regular file";
}

/**
 * A journal path must name a regular file, or a path where the writer can create one: a
 * directory there (or a file where its folder should be) is a ConfigError naming the setting,
 * not an EISDIR stack trace from the first read; so is a FIFO (restore would hang reading it), a
 * device (rotation would rename it, then delete it) or a socket. Only `lstat` is used: nothing
 * is opened, so nothing can block.
 */
export function checkJournalPath(path: string, setting: string): void {
  const found = lstatOf(path);
  // The writer never follows a symlink (O_NOFOLLOW): say so now rather than fail every write.
  if (found?.isSymbolicLink() === true)
    throw new ConfigError(setting, `'${path}' is a symlink; name the journal file itself (the journal is never written through a symlink)`);
  if (found?.isDirectory() === true)
    throw new ConfigError(setting, `'${path}' is a directory; name a file in it, e.g. '${path.replace(/\/+$/, "")}/journal.jsonl'`);
  const special = found === undefined ? undefined : specialKind(found);
  if (special !== undefined) throw new ConfigError(setting, `'${path}' is ${special}; the journal must be a regular file (or a path where one can be created)`);
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const kind = kindOf(dir);
    if (kind === "other") throw new ConfigError(setting, `'${dir}' is not a directory, so '${path}' cannot be created`);
    if (kind === "directory" || dirname(dir) === dir) return;
  }
}
