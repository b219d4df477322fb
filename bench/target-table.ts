/**
 * An issue's targets as a table filled from one run's results: the row type, how a row is judged
 * and how the table and its report are written. Each issue's rows live in their own module
 * (targets.ts: issue 15, targets-24.ts: issue 24). A row is "met" only under the issue's
 * conditions; under easier ones (a smoke run, fewer connections) a figure can still prove a miss,
 * never a pass, so it reads "not comparable" with the reason. A missed row points at the prose
 * that explains the gap.
 */
import { BENCH, FIGURE } from "./figure-ids.js";
import { describeRun, figureOf, type Figure, type ResultsByBench } from "./results.js";

export type Status = "met" | "missed" | "not comparable" | "not run";

export interface Evaluation {
  now: string;
  status: Status;
  note?: string;
}

export interface Target {
  what: string;
  /** The issue's "now" column: the figure when the issue was filed. */
  atFiling: string;
  target: string;
  /** Where docs/benchmarks.md explains a gap. */
  gap: string;
  benches: readonly string[];
  evaluate(results: ResultsByBench): Evaluation;
}

/** A number among a figure's conditions. */
export const num = (f: Figure | undefined, key: string): number | undefined => {
  const v = f?.conditions?.[key];
  return typeof v === "number" ? v : undefined;
};
export const ms = (v: number): string => `${Number.isInteger(v) ? v : v.toFixed(1)} ms`;
export const s = (v: number): string => `${v.toFixed(3)} s`;

/**
 * met / missed under the target's conditions. Under other conditions (`comparable` says which), a
 * pass proves nothing; a miss counts only where the figure can only grow towards the target's
 * conditions (`missProves`: a stall or RSS at fewer connections, any false down at all).
 */
export function judge(ok: boolean, comparable: true | string, missProves = true): Pick<Evaluation, "status" | "note"> {
  if (comparable === true) return { status: ok ? "met" : "missed" };
  return ok || !missProves ? { status: "not comparable", note: comparable } : { status: "missed", note: comparable };
}

export const notRun = (bench: string): Evaluation => ({ now: "—", status: "not run", note: `bench:${bench} did not run` });
export const notRecorded = (what: string): Evaluation => ({ now: "—", status: "not comparable", note: `${what} not recorded` });

/**
 * The restarts bench's RSS at 1,000 connections against a bound: "flat" is read as bounded, every
 * reading (at start and after each restart) under `limitMb`; met only with at least `minRestarts`.
 */
export function rssEvaluation(r: ResultsByBench, limitMb: number, minRestarts: number): Evaluation {
  if (!r.has(BENCH.restarts)) return notRun(BENCH.restarts);
  const start = figureOf(r, BENCH.restarts, FIGURE.rssStart);
  if (start === undefined) return notRecorded("RSS");
  const after = figureOf(r, BENCH.restarts, FIGURE.rssMaxAfterRestarts);
  const [n, restarts] = [num(start, "connections"), num(after, "restarts")];
  // Shown, not judged: the target is read after two GCs, as the bench has always read it.
  const [p50, max] = [figureOf(r, BENCH.restarts, FIGURE.bareRss("p50")), figureOf(r, BENCH.restarts, FIGURE.bareRss("max"))];
  const bare = p50 && max ? `; with no forced GC, through the run: p50 ${p50.value}, max ${max.value} MB` : "";
  const now = `${start.value} MB at start${after ? `, up to ${after.value} MB over ${restarts ?? "?"} restarts` : ""}${bare}`;
  const highest = Math.max(start.value, after?.value ?? 0);
  const comparable = (n ?? 0) >= 1000 && (restarts ?? 0) >= minRestarts ? true : `${n ?? "?"} connections, ${restarts ?? 0} restarts`;
  return { now, ...judge(highest < limitMb, comparable) };
}

const STATUS_TEXT: Record<Status, string> = { met: "met", missed: "**missed**", "not comparable": "not comparable", "not run": "not run" };

/** The targets table in markdown: what / at filing / this run / target / met. */
export function tableOf(targets: readonly Target[], results: ResultsByBench): string[] {
  const rows = ["| what | at filing | this run | target | met |", "|---|---|---|---|---|"];
  for (const t of targets) {
    const e = t.evaluate(results);
    const why = [e.note, e.status === "missed" ? `gap: ${t.gap}` : undefined].filter((x) => x !== undefined);
    rows.push(`| ${t.what} | ${t.atFiling} | ${e.now} | ${t.target} | ${STATUS_TEXT[e.status]}${why.length ? ` (${why.join("; ")})` : ""} |`);
  }
  return rows;
}

/** The benches a list of targets is read from, each once. */
export const benchesOf = (targets: readonly Target[]): readonly string[] => [...new Set(targets.flatMap((t) => t.benches))];

/**
 * The table under the line saying where and how each of its benches measured (the machine, the
 * load average at its start and end, its durations, repetitions and connections).
 */
export function reportOf(targets: readonly Target[], results: ResultsByBench): string[] {
  const runs = benchesOf(targets).map((b) => {
    const r = results.get(b);
    return `- \`bench:${b}\`: ${r === undefined ? "not run." : describeRun(r)}`;
  });
  return [...runs, "", ...tableOf(targets, results)];
}
