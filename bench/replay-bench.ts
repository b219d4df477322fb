/**
 * `replay` against the Python original (test/golden/reference/replay.py), whole process, on the
 * same drop-heavy journal (bench/make-journal.ts, 80,000 lines), both printing their JSON
 * document (ours adds `diagnosis`: more work, not less); start-up on an empty journal against a
 * bare `node -e 0`; and the journal's reading rate in this process (read only, and read +
 * applied to collectors: what `replay` does per line). Runs are interleaved (A B A B ...), each
 * ratio is taken pair by pair, and medians are printed with the conditions. Issue 24's sizes too:
 * 200,000 and 1,000,000 lines against the original (3 pairs each; lines/s at 1,000,000).
 * `npm run bench:replay`; smoke: `BENCH_REPS=1 npm run bench:replay`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readJournalBatches } from "../src/journal/reader.js";
import { replayJournal } from "../src/replay/replay.js";
import { FIGURE } from "./figure-ids.js";
import { dropHeavyJournal } from "./make-journal.js";
import { benchResults } from "./results.js";

const REPS = Number(process.env["BENCH_REPS"] ?? 10);
const LINES = Number(process.env["BENCH_LINES"] ?? 80_000);
const MAIN = fileURLToPath(new URL("../cli/main.js", import.meta.url));
const PYTHON_REPLAY = fileURLToPath(new URL("../../test/golden/reference/replay.py", import.meta.url));
const results = benchResults("replay", {
  "interleaved runs per pair (after one warm-up, medians)": REPS,
  "journal lines (bench/make-journal.ts, drop-heavy)": LINES,
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[s.length >> 1] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

/** Wall seconds of one whole process (spawn to exit), its output thrown away. */
function run(command: string[]): { seconds: number; stdout: string; status: number | null } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command[0] as string, command.slice(1), { encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, stdout: r.stdout, status: r.status };
}

/** A and B in turn, `reps` times after one warm-up each: medians and the median of A/B per pair. */
function pairs(a: string[], b: string[], reps = REPS): { a: number; b: number; ratio: number } {
  run(a);
  run(b);
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < reps; i++) {
    // The order alternates, so neither always runs on a cache the other warmed.
    let ra;
    let rb;
    if (i % 2 === 0) {
      ra = run(a);
      rb = run(b);
    } else {
      rb = run(b);
      ra = run(a);
    }
    as.push(ra.seconds);
    bs.push(rb.seconds);
    ratios.push(ra.seconds / rb.seconds);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios) };
}

/** Refuses to time two replays that do not print the same counters. */
function checkSameDocument(journal: string): void {
  const ours = run(["node", MAIN, "replay", journal]);
  const theirs = run(["python3", PYTHON_REPLAY, journal]);
  if (ours.status !== 0 || theirs.status !== 0) throw new Error(`a replay failed: ours ${ours.status}, Python ${theirs.status}`);
  const a = JSON.parse(ours.stdout) as { metrics: Record<string, unknown> };
  const b = JSON.parse(theirs.stdout) as { metrics: Record<string, unknown> };
  for (const key of ["total_connections", "total_connection_drops", "connection_recovered", "messages_published", "messages_queued"]) {
    if (a.metrics[key] !== b.metrics[key]) throw new Error(`not the same document: ${key} ${String(a.metrics[key])} vs ${String(b.metrics[key])}`);
  }
}

/**
 * Lines per second reading `journal` in this process: the first (cold) run and the median of the
 * rest, by the wall clock and by this process's CPU time (what a shared machine leaves of it).
 */
async function linesPerSecond(journal: string, what: "read" | "replay"): Promise<{ cold: number; warm: number; warmCpu: number }> {
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let i = 0; i < Math.max(3, REPS); i++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    if (what === "read") {
      let n = 0;
      for await (const batch of readJournalBatches(journal, {})) n += batch.length;
      if (n !== LINES) throw new Error(`read ${n} of ${LINES} lines`);
    } else {
      await replayJournal({ journal });
    }
    rates.push(LINES / (Number(process.hrtime.bigint() - t0) / 1e9));
    const cpu = process.cpuUsage(c0);
    cpuRates.push(LINES / ((cpu.user + cpu.system) / 1e6));
  }
  return { cold: rates[0] as number, warm: median(rates.slice(1)), warmCpu: median(cpuRates.slice(1)) };
}

/** The larger sizes, against the Python original (its cost grows faster than linearly, so each size is reported). */
const PYTHON_LINES = Number(process.env["BENCH_PYTHON_LINES"] ?? 200_000);
const MILLION = Number(process.env["BENCH_MILLION_LINES"] ?? 1_000_000);
const BIG_REPS = Math.min(REPS, 3);

const fmt = (seconds: number) => `${seconds.toFixed(3)} s`;
const rate = (perSecond: number) => `${(perSecond / 1e6).toFixed(2)}M lines/s`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mde-replay-bench-"));
  try {
    const journal = join(dir, "journal.jsonl");
    const empty = join(dir, "empty.jsonl");
    writeFileSync(journal, dropHeavyJournal(LINES));
    writeFileSync(empty, "");
    checkSameDocument(journal);
    const load = loadavg()[0] ?? 0;
    const python = spawnSync("python3", ["--version"], { encoding: "utf8" }).stdout.trim();
    const whole = pairs(["node", MAIN, "replay", journal], ["python3", PYTHON_REPLAY, journal]);
    const start = pairs(["node", MAIN, "replay", empty], ["node", "-e", "0"]);
    const bigger = join(dir, "journal-bigger.jsonl");
    writeFileSync(bigger, dropHeavyJournal(PYTHON_LINES));
    checkSameDocument(bigger);
    const atBigger = pairs(["node", MAIN, "replay", bigger], ["python3", PYTHON_REPLAY, bigger], BIG_REPS);
    rmSync(bigger);
    const million = join(dir, "journal-1m.jsonl");
    writeFileSync(million, dropHeavyJournal(MILLION));
    checkSameDocument(million);
    const atMillion = pairs(["node", MAIN, "replay", million], ["python3", PYTHON_REPLAY, million], BIG_REPS);
    const millionSeconds = atMillion.a;
    rmSync(million);
    const read = await linesPerSecond(journal, "read");
    const replay = await linesPerSecond(journal, "replay");
    const loadAfter = loadavg()[0] ?? 0;
    const cpu = cpus();
    results.conditions({ python });
    const journalLines = { lines: LINES };
    // Ours against the Python original at one size: the seconds given (median or pair's), Python's median, x faster.
    const vsPython = (id: string, what: string, ours: number, pair: { b: number; ratio: number }, conditions: Record<string, number>) =>
      results.figure({
        id,
        what,
        value: ours,
        unit: "s",
        anchor: { what: "Python original", value: pair.b, unit: "s" },
        ratio: 1 / pair.ratio,
        ratioOf: "Python / ours (x faster)",
        conditions,
      });
    vsPython(FIGURE.replayWhole, "replay, whole process", whole.a, whole, journalLines);
    vsPython(FIGURE.replayWholeAt(PYTHON_LINES), "replay, whole process", atBigger.a, atBigger, { lines: PYTHON_LINES, pairs: BIG_REPS });
    vsPython(FIGURE.replayMillion, "replay, whole process (median)", millionSeconds, atMillion, {
      lines: MILLION,
      pairs: BIG_REPS,
      "lines/s": Math.round(MILLION / millionSeconds),
    });
    results.figure({
      id: FIGURE.replayStartup,
      what: "replay start-up, empty journal, whole process",
      value: start.a,
      unit: "s",
      anchor: { what: "bare node -e 0", value: start.b, unit: "s" },
      ratio: start.ratio,
      ratioOf: "ours / bare node",
    });
    for (const [id, r] of [
      ["read", read],
      ["read-and-apply", replay],
    ] as const) {
      results.figure({ id: `${id}-cold`, what: `${id} in process, first run`, value: r.cold, unit: "lines/s", conditions: journalLines });
      results.figure({ id: `${id}-warm`, what: `${id} in process, warm median`, value: r.warm, unit: "lines/s", conditions: journalLines });
      results.figure({ id: `${id}-warm-cpu`, what: `${id} in process, warm, by CPU time`, value: r.warmCpu, unit: "lines/s", conditions: journalLines });
    }
    const lines = [
      `Conditions: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, load average ${load.toFixed(1)} before and ${loadAfter.toFixed(1)} after;`,
      `Node ${process.version}, ${python}; ${REPS} interleaved runs per pair after one warm-up, medians; journal: ${LINES.toLocaleString("en-US")} lines (bench/make-journal.ts, drop-heavy), both replays printing their JSON document.`,
      "",
      "| what | ours | against | ratio | target |",
      "|---|---|---|---|---|",
      `| \`replay\` ${LINES.toLocaleString("en-US")} lines, whole process | ${fmt(whole.a)} | Python original ${fmt(whole.b)} | ${(1 / whole.ratio).toFixed(1)}x faster | >= 20x |`,
      `| \`replay\` ${PYTHON_LINES.toLocaleString("en-US")} lines, whole process (${BIG_REPS} pairs) | ${fmt(atBigger.a)} | Python original ${fmt(atBigger.b)} | ${(1 / atBigger.ratio).toFixed(1)}x faster | |`,
      `| \`replay\` ${MILLION.toLocaleString("en-US")} lines, whole process (${BIG_REPS} pairs) | ${fmt(millionSeconds)}, ${rate(MILLION / millionSeconds)} | Python original ${fmt(atMillion.b)} | ${(1 / atMillion.ratio).toFixed(1)}x faster | >= 1M lines/s |`,
      `| \`replay\` start-up, empty journal (exit 2), whole process | ${fmt(start.a)} | bare \`node -e 0\` ${fmt(start.b)} | ${start.ratio.toFixed(2)}x bare node | < 0.2 s; < 2x bare node |`,
      `| reading the journal, in process (first run / warm median / warm by CPU time) | ${rate(read.cold)} / ${rate(read.warm)} / ${rate(read.warmCpu)} | | | >= 1M lines/s |`,
      `| reading + applying to collectors, in process (same) | ${rate(replay.cold)} / ${rate(replay.warm)} / ${rate(replay.warmCpu)} | | | |`,
    ];
    process.stdout.write(`${lines.slice(0, 3).join("\n")}\n${results.table("replay", lines.slice(3))}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
