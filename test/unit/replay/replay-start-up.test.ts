import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../../src/", import.meta.url));
// Imports that stay at run time: not `import type` / `export type` (erased).
const STATIC = /^(?!import type|export type)(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gm;
const DYNAMIC = /\bimport\(\s*"([^"]+)"\s*\)/g;

/**
 * Every module `entry` loads at run time (with or without its dynamic imports), followed through
 * relative imports; packages (bare specifiers other than `node:`) apart.
 */
function graph(entry: string, dynamic: boolean): { modules: string[]; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of [...text.matchAll(STATIC), ...(dynamic ? text.matchAll(DYNAMIC) : [])]) {
      const spec = m[1] as string;
      if (spec.startsWith(".")) visit(join(dirname(file), spec.replace(/\.js$/, ".ts")));
      else if (!spec.startsWith("node:")) packages.add(spec);
    }
  };
  visit(join(SRC, entry));
  return { modules: [...seen].map((f) => relative(SRC, f)).sort(), packages: [...packages].sort() };
}

describe("`replay` loads only what it needs", () => {
  it("no package from node_modules (no schema library, Fastify, OpenTelemetry, aws-crt or pino)", () => {
    // The entry loads no command up front (run-cli imports each one when it is asked for)…
    const entry = graph("main.ts", false);
    expect(entry.packages).toEqual([]);
    expect(entry.modules.filter((m) => m.endsWith("-command.ts"))).toEqual([]);
    // …and replay's own modules, --format text's included, need no package.
    const replay = graph("cli/replay-command.ts", true);
    expect(replay.packages).toEqual([]);
    expect(replay.modules.filter((m) => /^(http|metrics|mqtt|service|config|demo|emulator)\//.test(m))).toEqual([]);
    expect(replay.modules).toContain("journal/reader.ts");
  });
});
