/**
 * The benches' machine-readable output, beside their printed tables: each bench writes one JSON
 * file, `<BENCH_RESULTS_DIR>/<bench>.json`, holding every figure (value, unit, the anchor it is
 * compared with and the ratio), the tables it printed, its conditions and the machine's. Run on
 * its own (no BENCH_RESULTS_DIR) a bench writes nothing. The file is rewritten whole at every
 * record, through a rename, so a bench that exits early or calls process.exit leaves a complete
 * file with what it measured so far, and the load average at its last record.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const RESULTS_DIR_ENV = "BENCH_RESULTS_DIR";
export const RESULTS_VERSION = 1;

export type Condition = string | number | boolean | readonly number[];
export type Conditions = Record<string, Condition>;

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  /** One-minute load average when the bench started and at its last record. */
  loadStart: number;
  loadEnd: number;
}

export interface Figure {
  /** Stable key the targets table and docs look figures up by, e.g. `events-rps-ratio@100`. */
  id: string;
  what: string;
  value: number;
  unit: string;
  /** What the figure is compared with, measured in the same run. */
  anchor?: { what: string; value: number; unit: string };
  /** The comparison, and how to read it (e.g. "ours / prom-client", "Python / ours: x faster"). */
  ratio?: number;
  ratioOf?: string;
  /** What holds for this figure only (connections, events), on top of the bench's conditions. */
  conditions?: Conditions;
}

export interface Table {
  id: string;
  title?: string;
  /** Markdown lines exactly as printed. */
  lines: string[];
}

export interface BenchResults {
  version: number;
  bench: string;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  conditions: Conditions;
  figures: Figure[];
  tables: Table[];
}

export function machine(loadStart: number): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? "unknown CPU",
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadStart,
    loadEnd: loadavg()[0] ?? 0,
  };
}

export interface ResultsRecorder {
  /** The file written to, or undefined when the bench runs on its own. */
  readonly file: string | undefined;
  conditions(more: Conditions): void;
  figure(f: Figure): void;
  /** Records markdown lines as printed (a table, or a sentence) and returns them joined, to print. */
  table(id: string, lines: readonly string[], title?: string): string;
  snapshot(): BenchResults;
}

/** The recorder of `bench`; writes nothing unless `dir` (default: $BENCH_RESULTS_DIR) is set. */
export function benchResults(bench: string, conditions: Conditions, dir = process.env[RESULTS_DIR_ENV]): ResultsRecorder {
  const load = loadavg()[0] ?? 0;
  const file = dir === undefined || dir === "" ? undefined : join(dir, `${bench}.json`);
  const state: BenchResults = {
    version: RESULTS_VERSION,
    bench,
    startedAt: new Date().toISOString(),
    finishedAt: "",
    machine: machine(load),
    conditions: { ...conditions },
    figures: [],
    tables: [],
  };
  const save = () => {
    state.finishedAt = new Date().toISOString();
    state.machine = machine(load);
    if (file === undefined) return;
    writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  };
  save();
  return {
    file,
    conditions(more) {
      Object.assign(state.conditions, more);
      save();
    },
    figure(f) {
      // A figure recorded again (a bench measuring in rounds) replaces the earlier one.
      state.figures = [...state.figures.filter((g) => g.id !== f.id), f];
      save();
    },
    table(id, lines, title) {
      state.tables = [...state.tables.filter((t) => t.id !== id), { id, lines: [...lines], ...(title === undefined ? {} : { title }) }];
      save();
      return lines.join("\n");
    },
    snapshot: () => structuredClone(state),
  };
}

export type ResultsByBench = ReadonlyMap<string, BenchResults>;

/** Every `<bench>.json` of a results folder; a file that is not a results file is reported and skipped. */
export function readResults(dir: string, warn: (message: string) => void = () => undefined): Map<string, BenchResults> {
  const out = new Map<string, BenchResults>();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    try {
      const r = JSON.parse(readFileSync(join(dir, name), "utf8")) as Partial<BenchResults>;
      if (r.version !== RESULTS_VERSION || typeof r.bench !== "string" || !Array.isArray(r.figures) || !Array.isArray(r.tables))
        throw new Error(`not a version ${RESULTS_VERSION} results file`);
      out.set(r.bench, r as BenchResults);
    } catch (err) {
      warn(`${join(dir, name)}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** A figure of a bench's results, if that bench ran and recorded it. */
export function figureOf(results: ResultsByBench, bench: string, id: string): Figure | undefined {
  return results.get(bench)?.figures.find((f) => f.id === id);
}

const formatCondition = (v: Condition): string => (Array.isArray(v) ? v.join(", ") : typeof v === "number" ? v.toLocaleString("en-US") : String(v));

/** "Intel Xeon, 2 cores, 24 GiB, Node v20.20.2" */
export const describeMachine = (m: Machine): string => `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node.replace(/^v/, "")}`;

/** One line: when, on what, under which load and conditions a bench measured its figures. */
export function describeRun(r: BenchResults): string {
  const conditions = Object.entries(r.conditions).map(([k, v]) => `${k}: ${formatCondition(v)}`);
  const when = `${r.startedAt.slice(0, 16).replace("T", " ")} UTC`;
  return `Measured ${when} on ${describeMachine(r.machine)}, load average ${r.machine.loadStart.toFixed(1)} at start and ${r.machine.loadEnd.toFixed(1)} at end.${conditions.length ? ` Conditions: ${conditions.join("; ")}.` : ""}`;
}

/** Where `npm run bench` keeps one folder per run, named by its start time (run from dist/bench/). */
export const resultsRoot = (): string => fileURLToPath(new URL("../../bench-results/", import.meta.url));

/** The newest run's folder under `root`, or undefined when there is none. */
export function newestResultsDir(root: string): string | undefined {
  if (!existsSync(root)) return undefined;
  const runs = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const last = runs.at(-1);
  return last === undefined ? undefined : join(root, last);
}

/** A results folder as docs and reports name it: relative to the repository when inside it. */
export function shownPath(root: string, dir: string): string {
  const inRepo = relative(root, dir);
  return inRepo === "" || inRepo.startsWith("..") ? dir : inRepo;
}
