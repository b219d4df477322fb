/**
 * The process settings the container image runs the service with, read from the Dockerfile
 * (where they are declared once): the node flags of its ENTRYPOINT and its GLIBC_TUNABLES. The
 * restarts bench measures the service as the image runs it unless BENCH_PROCESS=plain.
 */
import { readFileSync } from "node:fs";

export interface ProcessSettings {
  /** Flags between `node` and the script in the ENTRYPOINT. */
  nodeFlags: string[];
  /** Environment the image sets for the allocator (GLIBC_TUNABLES), if any. */
  env: Record<string, string>;
}

/** The settings in a Dockerfile's text; an ENTRYPOINT that is not exec-form `node ...` is refused. */
export function imageSettings(dockerfile: string): ProcessSettings {
  const entry = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  if (entry === undefined) throw new Error("the Dockerfile has no exec-form ENTRYPOINT");
  const argv = JSON.parse(entry) as string[];
  if (argv[0] !== "node") throw new Error(`the ENTRYPOINT does not start node: ${entry}`);
  const nodeFlags = argv.slice(1).filter((a, i, all) => a.startsWith("-") && all.slice(0, i).every((b) => b.startsWith("-")));
  const env: Record<string, string> = {};
  for (const m of dockerfile.matchAll(/^ENV\s+(GLIBC_TUNABLES|MALLOC_ARENA_MAX)=(\S+)\s*$/gm)) env[m[1] as string] = m[2] as string;
  return { nodeFlags, env };
}

/** The image's settings, read from the repository's Dockerfile (run from dist/bench/restarts/). */
export const repositoryImageSettings = (): ProcessSettings => imageSettings(readFileSync(new URL("../../../Dockerfile", import.meta.url), "utf8"));
