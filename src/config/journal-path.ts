import { lstatSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigError } from "./errors.js";

function kindOf(path: string): "directory" | "other" | "missing" {
  try {
    return statSync(path).isDirectory() ? "directory" : "other";
  } catch {
    return "missing";
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * A journal path must name a file: a directory there (or a file where its folder should be) is a
 * ConfigError naming the setting, not an EISDIR stack trace from the first read. A missing file or
 * folder is fine: the writer creates them.
 */
export function checkJournalPath(path: string, setting: string): void {
  // The writer never follows a symlink (O_NOFOLLOW): say so now rather than fail every write.
  if (isSymlink(path)) throw new ConfigError(setting, `'${path}' is a symlink; name the journal file itself (the journal is never written through a symlink)`);
  if (kindOf(path) === "directory") throw new ConfigError(setting, `'${path}' is a directory; name a file in it, e.g. '${path.replace(/\/+$/, "")}/journal.jsonl'`);
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const kind = kindOf(dir);
    if (kind === "other") throw new ConfigError(setting, `'${dir}' is not a directory, so '${path}' cannot be created`);
    if (kind === "directory" || dirname(dir) === dir) return;
  }
}
