/**
 * `npm run bench`: every `bench:*` script of package.json, one after the other, after one build
 * (each script's own `npm run build` prefix is skipped). A failing bench is reported and the
 * others still run; the exit code says whether all passed. Benchmarks mean something only on a
 * quiet machine: run nothing else meanwhile.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const BUILD_PREFIX = /^npm run build --silent && /;
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
const only = process.argv.slice(2);
const benches = Object.entries(pkg.scripts).filter(([name]) => name.startsWith("bench:") && (only.length === 0 || only.includes(name.slice(6))));
const failed: string[] = [];
for (const [name, command] of benches) {
  process.stdout.write(`\n## ${name}\n\n`);
  const r = spawnSync(command.replace(BUILD_PREFIX, ""), { shell: true, stdio: "inherit" });
  if (r.status !== 0) failed.push(name);
}
process.stdout.write(`\n${benches.length - failed.length} of ${benches.length} benches ran${failed.length ? `; failed: ${failed.join(", ")}` : ""}\n`);
process.exitCode = failed.length === 0 ? 0 : 1;
