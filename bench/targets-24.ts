/**
 * Issue 24's targets (ahead of prom-client like for like), row for row, filled from one run's
 * results the way issue 15's are (target-table.ts). Every figure is read beside the anchor it was
 * measured with in the same bench: prom-client, the ceiling route, bare `node`.
 */
import { BENCH, FIGURE } from "./figure-ids.js";
import { figureOf, type Figure, type ResultsByBench } from "./results.js";
import { benchesOf, judge, ms, notRecorded, notRun, num, reportOf, rssEvaluation, s, tableOf, type Evaluation, type Target } from "./target-table.js";

const GAPS = "docs/benchmarks.md";
const SCRAPE_COUNTS = [1, 10, 100, 1000] as const;
const fixed = (x: number | undefined, digits = 2) => (x === undefined ? "—" : x.toFixed(digits));

/** One figure per connection count of bench:metrics; met when every count was measured and passes. */
function perCount(
  r: ResultsByBench,
  counts: readonly number[],
  id: (n: number) => string,
  show: (f: Figure | undefined) => string,
  ok: (f: Figure) => boolean,
): Evaluation {
  if (!r.has(BENCH.metrics)) return notRun(BENCH.metrics);
  const figures = counts.map((n) => figureOf(r, BENCH.metrics, id(n)));
  const now = figures.map(show).join(" / ");
  const missing = counts.filter((_, i) => figures[i] === undefined);
  const measured = figures.filter((f): f is Figure => f !== undefined);
  if (measured.length === 0) return { now, status: "not comparable", note: "no connection count measured" };
  return { now, ...judge(measured.every(ok), missing.length === 0 ? true : `not measured at ${missing.join(", ")} connections`) };
}

export const TARGETS_24: readonly Target[] = [
  {
    what: "recording one event (collector + instruments) vs prom-client doing the same counting and timing, 1 / 1,000 connections",
    atFiling: "3.6x / 4.8x the cost",
    target: "<= 1x",
    gap: `${GAPS}#issue-24-recording-and-replay`,
    benches: [BENCH.metrics],
    evaluate: (r) =>
      perCount(
        r,
        [1, 1000],
        FIGURE.recordEventAt,
        (f) => (f === undefined ? "—" : `${f.value.toFixed(0)} vs ${f.anchor?.value.toFixed(0) ?? "—"} ns (${fixed(f.ratio)}x)`),
        (f) => (f.ratio ?? Infinity) <= 1,
      ),
  },
  {
    what: "`/metrics` req/s with 10k events/s vs prom-client, 1 / 10 / 100 / 1,000 connections",
    atFiling: "0.85-0.88 / 0.50-0.76 / 0.57-0.65 / 0.88-1.23x",
    target: ">= 1.2x",
    gap: `${GAPS}#metrics-against-prom-client`,
    benches: [BENCH.metrics],
    evaluate: (r) =>
      perCount(
        r,
        SCRAPE_COUNTS,
        (n) => FIGURE.rps(n, true),
        (f) => `${fixed(f?.ratio)}x`,
        (f) => (f.ratio ?? 0) >= 1.2,
      ),
  },
  {
    what: "p99 of `/metrics` with 10k events/s, ours vs prom-client, 1 / 10 / 100 / 1,000 connections",
    atFiling: "152-240 vs 66-134 ms at 100",
    target: "no higher than prom-client's",
    gap: `${GAPS}#metrics-against-prom-client`,
    benches: [BENCH.metrics],
    evaluate: (r) =>
      perCount(
        r,
        SCRAPE_COUNTS,
        (n) => FIGURE.p99(n, true),
        (f) => (f === undefined ? "—" : `${ms(f.value)} vs ${f.anchor === undefined ? "—" : ms(f.anchor.value)}`),
        (f) => f.anchor !== undefined && f.value <= f.anchor.value,
      ),
  },
  {
    what: "idle `/metrics` req/s against the ceiling (a bare route sending our own bytes, plain or gzip, with our headers), 1 / 10 / 100 / 1,000 connections",
    atFiling: "not measured",
    target: ">= 0.9x",
    gap: `${GAPS}#metrics-against-prom-client`,
    benches: [BENCH.metrics],
    evaluate: (r) =>
      perCount(
        r,
        SCRAPE_COUNTS,
        FIGURE.ceiling,
        (f) => `${fixed(f?.ratio)}x`,
        (f) => (f.ratio ?? 0) >= 0.9,
      ),
  },
  {
    what: "one scrape's event-loop stall at 1,000 connections, over HTTP",
    atFiling: "48-78 ms (prom-client 152-198 ms)",
    target: "< 20 ms",
    gap: `${GAPS}#metrics-against-prom-client`,
    benches: [BENCH.metrics],
    evaluate(r) {
      if (!r.has(BENCH.metrics)) return notRun(BENCH.metrics);
      const f = figureOf(r, BENCH.metrics, FIGURE.stallAllChanged);
      if (f === undefined) return notRecorded("the stall");
      const n = num(f, "connections");
      const now = `${ms(f.value)} every connection changed${f.anchor ? ` (prom-client ${ms(f.anchor.value)})` : ""}`;
      return { now, ...judge(f.value < 20, n !== undefined && n >= 1000 ? true : `at ${n ?? "?"} connections`) };
    },
  },
  {
    what: "heap used at 1,000 connections after the `/metrics` cells (two GCs), ours vs prom-client",
    atFiling: "109-149 vs 23-24 MB",
    target: "<= 2x",
    gap: `${GAPS}#issue-24s-targets`,
    benches: [BENCH.metrics],
    evaluate(r) {
      if (!r.has(BENCH.metrics)) return notRun(BENCH.metrics);
      const [ours, prom] = [figureOf(r, BENCH.metrics, FIGURE.memory("ours", 1000)), figureOf(r, BENCH.metrics, FIGURE.memory("prom", 1000))];
      if (ours?.anchor === undefined || prom?.anchor === undefined) return notRecorded("the heap at 1,000 connections");
      const ratio = ours.anchor.value / prom.anchor.value;
      return { now: `${ours.anchor.value.toFixed(1)} vs ${prom.anchor.value.toFixed(1)} MiB (${ratio.toFixed(2)}x)`, ...judge(ratio <= 2, true) };
    },
  },
  {
    what: "RSS of the service with 1,000 SDK clients, at start and over broker restarts",
    atFiling: "259 MB at start, 405 MB after 4 restarts",
    target: "< 200 MB, flat",
    gap: `${GAPS}#1000-connections`,
    benches: [BENCH.restarts],
    evaluate: (r) => rssEvaluation(r, 200, 4),
  },
  {
    what: "a process that only imports the library's root entry: RSS vs prom-client's, aws-crt loaded",
    atFiling: "100 vs 69 MB, aws-crt loaded",
    target: "no aws-crt",
    gap: `${GAPS}#issue-24s-targets`,
    benches: [BENCH.import],
    evaluate(r) {
      if (!r.has(BENCH.import)) return notRun(BENCH.import);
      const f = figureOf(r, BENCH.import, FIGURE.importRss("mqtt-diagnostics-exporter"));
      if (f === undefined) return notRecorded("the root entry");
      const crt = f.conditions?.["aws-crt loaded"];
      return { now: `${f.value.toFixed(0)} vs ${f.anchor?.value.toFixed(0) ?? "—"} MB, aws-crt loaded: ${String(crt)}`, ...judge(crt === "no", true) };
    },
  },
  {
    what: "`replay` of a 1,000,000-line journal, whole process",
    atFiling: "130-280k lines/s",
    target: ">= 1M lines/s",
    gap: `${GAPS}#issue-24s-targets`,
    benches: [BENCH.replay],
    evaluate(r) {
      if (!r.has(BENCH.replay)) return notRun(BENCH.replay);
      const f = figureOf(r, BENCH.replay, FIGURE.replayMillion);
      if (f === undefined) return notRecorded("the 1M-line replay");
      const lines = num(f, "lines") ?? 0;
      const rate = lines / f.value;
      return { now: `${(rate / 1e6).toFixed(2)}M lines/s (${s(f.value)})`, ...judge(rate >= 1e6, lines >= 1_000_000 ? true : `${lines} lines`, false) };
    },
  },
  {
    what: "`replay` start-up (empty journal) against bare `node -e 0`",
    atFiling: "not measured",
    target: "< 2x",
    gap: `${GAPS}#replay-against-the-python-original`,
    benches: [BENCH.replay],
    evaluate(r) {
      if (!r.has(BENCH.replay)) return notRun(BENCH.replay);
      const f = figureOf(r, BENCH.replay, FIGURE.replayStartup);
      if (f?.ratio === undefined) return notRecorded("start-up");
      return { now: `${f.ratio.toFixed(2)}x (${s(f.value)} vs ${f.anchor ? s(f.anchor.value) : "—"})`, ...judge(f.ratio < 2, true) };
    },
  },
  {
    what: "`replay` vs the Python module, whole process, at 80,000 / 200,000 / 1,000,000 lines",
    atFiling: "4.7x / 14-22x / 159x",
    target: "reported at each size",
    gap: `${GAPS}#replay-against-the-python-original`,
    benches: [BENCH.replay],
    evaluate(r) {
      if (!r.has(BENCH.replay)) return notRun(BENCH.replay);
      const sizes = [FIGURE.replayWhole, FIGURE.replayWholeAt(200_000), FIGURE.replayMillion].map((id) => figureOf(r, BENCH.replay, id));
      const now = sizes.map((f) => (f?.ratio === undefined ? "—" : `${f.ratio.toFixed(1)}x`)).join(" / ");
      return {
        now,
        ...judge(
          sizes.every((f) => f?.ratio !== undefined),
          true,
        ),
      };
    },
  },
];

/** The benches issue 24's targets are read from. */
export const TARGET_24_BENCHES: readonly string[] = benchesOf(TARGETS_24);
export const targets24Table = (results: ResultsByBench): string[] => tableOf(TARGETS_24, results);
export const targets24Report = (results: ResultsByBench): string[] => reportOf(TARGETS_24, results);
