/**
 * `npm run build --silent && node dist/bench/import-bench.js [RUNS]`: what importing each of the
 * package's entries costs a fresh process (wall time of the import, RSS after it, and whether
 * aws-crt's native module was loaded), as an application importing it by name would see it.
 * The median of RUNS (default 7) processes each. Run on a quiet machine: the figures are load-bound.
 */
import { spawnSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

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
const runs = Number(process.argv[2] ?? 7);
process.stdout.write(
  `node ${process.version}, ${availableParallelism()} CPUs, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}; median of ${runs} processes\n`,
);
process.stdout.write("| entry | import (ms) | RSS after (MB) | aws-crt loaded |\n|---|---:|---:|---|\n");
for (const entry of ENTRIES) {
  const samples = Array.from({ length: runs }, () => sample(entry));
  const crt = samples.every((s) => s.crt) ? "yes" : samples.some((s) => s.crt) ? "some runs" : "no";
  process.stdout.write(
    `| \`${entry}\` | ${median(samples.map((s) => s.ms)).toFixed(0)} | ${(median(samples.map((s) => s.rss)) / 1e6).toFixed(0)} | ${crt} |\n`,
  );
}
