/**
 * `npm run bench [-- NAME ...] [-- --write-docs]`: every `bench:*` script of package.json (or
 * the NAMEs given: `npm run bench -- metrics replay`), one after the other, after one build (each
 * script's own `npm run build` prefix is skipped). Each bench writes its figures to one results
 * folder of this run (bench-results/<start time>/, or $BENCH_RESULTS_DIR); once all ran, issues
 * 15's and 24's targets tables are printed from those results, under the machine and conditions of each
 * bench it reads. `--write-docs` then regenerates docs/benchmarks.md's figures from them (the same
 * as `npm run docs:bench` afterwards). A failing bench is reported and the others still run; the
 * exit code says whether all passed. Benchmarks mean something only on a quiet machine: run
 * nothing else meanwhile.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { regeneratedSummary, writeDocs } from "./docs.js";
import { readResults, RESULTS_DIR_ENV, resultsRoot, shownPath } from "./results.js";
import { targetsReport } from "./targets.js";
import { targets24Report } from "./targets-24.js";

const BUILD_PREFIX = /^npm run build --silent && /;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DOC = join(ROOT, "docs/benchmarks.md");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
const args = process.argv.slice(2);
const writeDocsToo = args.includes("--write-docs");
const only = args.filter((a) => a !== "--write-docs");
const all = Object.entries(pkg.scripts).filter(([name]) => name.startsWith("bench:"));
const unknown = only.filter((n) => !all.some(([name]) => name === `bench:${n}`));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench ${unknown.map((n) => `'${n}'`).join(", ")}: one of ${all.map(([n]) => n.slice(6)).join(", ")}, or --write-docs\n`);
  process.exit(2);
}
const benches = all.filter(([name]) => only.length === 0 || only.includes(name.slice(6)));
const dir =
  process.env[RESULTS_DIR_ENV] ||
  join(
    resultsRoot(),
    new Date()
      .toISOString()
      .replace(/:/g, "-")
      .replace(/\.\d+Z$/, "Z"),
  );
mkdirSync(dir, { recursive: true });

const failed: string[] = [];
for (const [name, command] of benches) {
  process.stdout.write(`\n## ${name}\n\n`);
  const r = spawnSync(command.replace(BUILD_PREFIX, ""), { shell: true, stdio: "inherit", env: { ...process.env, [RESULTS_DIR_ENV]: dir } });
  if (r.status !== 0) failed.push(name);
}
process.stdout.write(`\n${benches.length - failed.length} of ${benches.length} benches ran${failed.length ? `; failed: ${failed.join(", ")}` : ""}\n`);

const warn = (message: string) => process.stderr.write(`${message}\n`);
const source = shownPath(ROOT, dir);
const results = readResults(dir, warn);
process.stdout.write(`\n## Issue 15's targets, from this run (results: ${source})\n\n${targetsReport(results).join("\n")}\n`);
process.stdout.write(`\n## Issue 24's targets, from this run\n\n${targets24Report(results).join("\n")}\n`);
if (writeDocsToo) {
  // A bench that failed may have recorded part of its figures: its section keeps the last good ones.
  for (const name of failed) results.delete(name.slice(6));
  const r = writeDocs(DOC, results, source);
  process.stdout.write(`\n${regeneratedSummary(r)}\n`);
}
process.exitCode = failed.length === 0 ? 0 : 1;
