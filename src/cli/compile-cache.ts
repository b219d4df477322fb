import { statfsSync } from "node:fs";
import module from "node:module";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

// procfs's filesystem magic number (statfs(2)). On Node 24.21, enableCompileCache() with a directory on
// procfs never returns (it spins creating the directory); elsewhere it fails with a status instead.
const PROC_SUPER_MAGIC = 0x9fa0;

/** Where the CLI keeps Node's compiled-code cache: $XDG_CACHE_HOME, else ~/.cache; undefined when neither is known. */
export function compileCacheDir(env: NodeJS.ProcessEnv, home: string): string | undefined {
  const base = env["XDG_CACHE_HOME"] || (home === "" ? undefined : join(home, ".cache"));
  return base === undefined ? undefined : join(resolve(base), "mqtt-diagnostics-exporter", "compile-cache");
}

/** The filesystem type of the deepest existing directory on the way to `dir` (statfs follows symlinks). */
function filesystemTypeOf(dir: string): number | undefined {
  for (let at = dir; ; at = dirname(at)) {
    try {
      return statfsSync(at).type;
    } catch {
      if (dirname(at) === at) return undefined;
    }
  }
}

/** Whether `dir` can be handed to enableCompileCache(): not on procfs, where it would hang. */
export function safeCompileCacheDir(dir: string): boolean {
  const type = filesystemTypeOf(dir);
  return type !== undefined && type !== PROC_SUPER_MAGIC;
}

/**
 * Turns on Node's compile cache for the modules loaded after this call (start-up: compiling our
 * modules is a sixth of it). Skipped when NODE_DISABLE_COMPILE_CACHE is set, when there is no cache
 * directory or it is on procfs; a directory Node cannot create or write is Node's own quiet failure.
 */
export function enableCompileCacheSafely(env: NodeJS.ProcessEnv = process.env): void {
  if (env["NODE_DISABLE_COMPILE_CACHE"]) return;
  let home = "";
  try {
    home = homedir();
  } catch {
    // no home directory (a user without a passwd entry): only $XDG_CACHE_HOME can say where
  }
  const dir = compileCacheDir(env, home);
  if (dir === undefined || !safeCompileCacheDir(dir)) return;
  try {
    module.enableCompileCache(dir);
  } catch {
    // the cache only saves time: run without it
  }
}
