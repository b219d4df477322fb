import { describe, expect, it } from "vitest";
import { FIGURE } from "../../../bench/figure-ids.js";
import type { BenchResults, Figure } from "../../../bench/results.js";
import { TARGET_24_BENCHES, TARGETS_24, targets24Report, targets24Table } from "../../../bench/targets-24.js";

const run = (bench: string, figures: Figure[]): [string, BenchResults] => [
  bench,
  {
    version: 1,
    bench,
    startedAt: "2026-12-06T08:49:00.000Z",
    finishedAt: "2026-12-06T09:07:00.000Z",
    machine: { cpu: "AMD EPYC", cores: 2, memoryGiB: 24, node: "v24.21.0", loadStart: 0.5, loadEnd: 2 },
    conditions: {},
    figures,
    tables: [],
  },
];
const fig = (id: string, value: number, anchor?: number, ratio?: number, conditions: Figure["conditions"] = {}): Figure => ({
  id,
  what: id,
  value,
  unit: "u",
  ...(anchor === undefined ? {} : { anchor: { what: "anchor", value: anchor, unit: "u" } }),
  ...(ratio === undefined ? {} : { ratio }),
  conditions,
});
const COUNTS = [1, 10, 100, 1000];

/** A run's figures: `good` chooses whether each one reaches its target. */
function results(good: boolean): Map<string, BenchResults> {
  return new Map([
    run("metrics", [
      fig(FIGURE.recordEventAt(1), good ? 600 : 2258, 633, good ? 0.95 : 3.6),
      fig(FIGURE.recordEventAt(1000), good ? 1200 : 6397, 1326, good ? 0.9 : 4.8),
      ...COUNTS.map((n) => fig(FIGURE.rps(n, true), 100, 80, good ? 1.25 : 0.85)),
      ...COUNTS.map((n) => fig(FIGURE.p99(n, true), good ? 10 : 200, 100)),
      ...COUNTS.map((n) => fig(FIGURE.ceiling(n), 95, 100, good ? 0.95 : 0.8)),
      fig(FIGURE.stallAllChanged, good ? 13 : 48, 152, undefined, { connections: 1000 }),
      fig(FIGURE.memory("ours", 1000), 400, good ? 50 : 109),
      fig(FIGURE.memory("prom", 1000), 380, 26),
    ]),
    run("restarts", [
      fig(FIGURE.rssStart, good ? 190 : 259, undefined, undefined, { connections: 1000 }),
      fig(FIGURE.rssMaxAfterRestarts, good ? 195 : 405, undefined, undefined, { connections: 1000, restarts: 10 }),
    ]),
    run("import", [fig(FIGURE.importRss("mqtt-diagnostics-exporter"), 70, 69, 1, { "aws-crt loaded": good ? "no" : "yes" })]),
    run("replay", [
      fig(FIGURE.replayMillion, good ? 0.9 : 3.6, good ? 20 : undefined, good ? 22 : undefined, { lines: 1_000_000 }),
      fig(FIGURE.replayStartup, 0.05, 0.026, good ? 1.9 : 2.5),
      fig(FIGURE.replayWhole, 0.2, 1.1, 5.2, { lines: 80_000 }),
      ...(good ? [fig(FIGURE.replayWholeAt(200_000), 0.5, 7, 14, { lines: 200_000 })] : []),
    ]),
  ]);
}

const rowsOf = (lines: string[]) => lines.slice(2).map((l) => l.split(" | ").map((c) => c.replace(/^\| | \|$/g, "")));

describe("issue 24's targets table", () => {
  it("reads each row from the benches that measure it, beside its anchor", () => {
    expect(TARGET_24_BENCHES).toEqual(["metrics", "restarts", "import", "replay"]);
    const rows = rowsOf(targets24Table(results(false)));
    expect(rows).toHaveLength(TARGETS_24.length);
    expect(rows.map((r) => r[2])).toEqual([
      "2258 vs 633 ns (3.60x) / 6397 vs 1326 ns (4.80x)",
      "0.85x / 0.85x / 0.85x / 0.85x",
      "200 ms vs 100 ms / 200 ms vs 100 ms / 200 ms vs 100 ms / 200 ms vs 100 ms",
      "0.80x / 0.80x / 0.80x / 0.80x",
      "48 ms every connection changed (prom-client 152 ms)",
      "109.0 vs 26.0 MiB (4.19x)",
      "259 MB at start, up to 405 MB over 10 restarts",
      "70 vs 69 MB, aws-crt loaded: yes",
      "0.28M lines/s (3.600 s)",
      "2.50x (0.050 s vs 0.026 s)",
      "5.2x / — / —",
    ]);
    for (const r of rows) expect(r[4]).toMatch(/^\*\*missed\*\* \(gap: docs\/benchmarks\.md#/);
  });

  it("says met for each row whose figure reaches its target", () => {
    expect(rowsOf(targets24Table(results(true))).map((r) => r[4])).toEqual(Array(TARGETS_24.length).fill("met"));
  });

  it("does not call a row met when one of its connection counts was not measured", () => {
    const r = results(true);
    const metrics = r.get("metrics") as BenchResults;
    r.set("metrics", { ...metrics, figures: metrics.figures.filter((f) => f.id !== FIGURE.rps(10, true)) });
    expect(rowsOf(targets24Table(r))[1]?.[4]).toBe("not comparable (not measured at 10 connections)");
  });

  it("shows the RSS read through the run with no forced GC beside the readings it judges", () => {
    const r = results(true);
    const restarts = r.get("restarts") as BenchResults;
    r.set("restarts", { ...restarts, figures: [...restarts.figures, fig(FIGURE.bareRss("p50"), 170), fig(FIGURE.bareRss("max"), 230)] });
    const row = rowsOf(targets24Table(r))[6];
    expect(row?.[2]).toBe("190 MB at start, up to 195 MB over 10 restarts; with no forced GC, through the run: p50 170, max 230 MB");
    expect(row?.[4]).toBe("met");
  });

  it("puts each bench's machine above the table, or says it did not run", () => {
    const report = targets24Report(new Map([run("metrics", [])]));
    expect(report[0]).toMatch(/^- `bench:metrics`: Measured 2026-12-06 08:49 UTC on AMD EPYC/);
    expect(report.slice(1, 4)).toEqual(["- `bench:restarts`: not run.", "- `bench:import`: not run.", "- `bench:replay`: not run."]);
  });
});
