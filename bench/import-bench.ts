/**
 * `npm run bench:import` (or `node dist/bench/import-bench.js [RUNS]`): what importing each of the
 * package's entries costs a fresh process (wall time of the import, RSS after it, and whether
 * aws-crt's native module was loaded), as an application importing it by name would see it.
 * The median of RUNS (default 7) processes each, beside prom-client imported the same way. Run on a quiet machine: the figures are load-bound.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { FIGURE } from "./figure-ids.js";
import { benchResults, describeRun } from "./results.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ENTRIES = [
  "mqtt-diagnostics-exporter",
  "mqtt-diagnostics-exporter/collector",
  "mqtt-diagnostics-exporter/journal",
  "mqtt-diagnostics-exporter/diagnosis",
  "mqtt-diagnostics-exporter/service",
];
const PROBE = `const t0 = performance.now(); await import(process.argv[1]); const ms = performance.now() - t0;
const crt = process.report.getReport().sharedObjects.some((s) => s.includes("aws-crt"));
process.stdout.write(JSON.stringify({ ms, rss: process.memoryUsage().rss, crt }));`;

interface Sample {
  ms: number;
  rss: number;
  crt: boolean;
}

function sample(entry: string): Sample {
  // From inside the repository, so the package resolves to itself (package self-reference).
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", PROBE, entry], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${entry}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Sample;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const runs = Number(process.argv[2] ?? process.env["BENCH_REPS"] ?? 7);
const results = benchResults("import", { "fresh processes per entry (median)": runs, anchor: "prom-client imported the same way" });
/** prom-client imported the same way: what a metrics-only application loads with the usual library. */
const anchor = Array.from({ length: runs }, () => sample("prom-client"));
const anchorRss = median(anchor.map((s) => s.rss)) / 1e6;
const anchorMs = median(anchor.map((s) => s.ms));
const rows = [
  "| entry | import (ms) | RSS after (MB) | aws-crt loaded |",
  "|---|---:|---:|---|",
  `| \`prom-client\` (anchor) | ${anchorMs.toFixed(0)} | ${anchorRss.toFixed(0)} | no |`,
];
for (const entry of ENTRIES) {
  const samples = Array.from({ length: runs }, () => sample(entry));
  const crt = samples.every((s) => s.crt) ? "yes" : samples.some((s) => s.crt) ? "some runs" : "no";
  const rss = median(samples.map((s) => s.rss)) / 1e6;
  const ms = median(samples.map((s) => s.ms));
  rows.push(`| \`${entry}\` | ${ms.toFixed(0)} | ${rss.toFixed(0)} | ${crt} |`);
  results.figure({
    id: FIGURE.importRss(entry),
    what: `RSS after importing ${entry} (aws-crt loaded: ${crt})`,
    value: rss,
    unit: "MB",
    anchor: { what: "prom-client imported the same way", value: anchorRss, unit: "MB" },
    ratio: rss / anchorRss,
    ratioOf: "ours / prom-client",
    conditions: { entry, "aws-crt loaded": crt, "import ms": Math.round(ms) },
  });
}
process.stdout.write(`${describeRun(results.snapshot())}\n\n${results.table("import", rows)}\n`);
