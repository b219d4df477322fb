import { describe, expect, it } from "vitest";
import { FIGURE } from "../../../bench/figure-ids.js";
import type { BenchResults, Figure } from "../../../bench/results.js";
import { TARGETS, targetsReport, targetsTable } from "../../../bench/targets.js";

const run = (bench: string, figures: Figure[], conditions: BenchResults["conditions"] = {}): [string, BenchResults] => [
  bench,
  {
    version: 1,
    bench,
    startedAt: "2026-11-25T21:40:00.000Z",
    finishedAt: "2026-11-25T21:50:00.000Z",
    machine: { cpu: "Intel Xeon", cores: 2, memoryGiB: 24, node: "v20.20.2", loadStart: 1.9, loadEnd: 2.1 },
    conditions,
    figures,
    tables: [],
  },
];
const vs = (id: string, value: number, anchor: number, ratio: number | undefined, conditions: Figure["conditions"] = {}): Figure => ({
  id,
  what: id,
  value,
  unit: "u",
  anchor: { what: "anchor", value: anchor, unit: "u" },
  ...(ratio === undefined ? {} : { ratio }),
  conditions,
});

/** What the issue measured, as this run's figures: every row missed. */
const asFiled = new Map([
  run("metrics", [
    vs(FIGURE.rps(1, true), 590, 1000, 0.59),
    vs(FIGURE.rps(10, true), 440, 1000, 0.44),
    vs(FIGURE.rps(100, true), 780, 1000, 0.78),
    vs(FIGURE.p99(100, true), 841, 29, undefined),
    vs(FIGURE.stallAllChanged, 500, 132.5, 3.8, { connections: 1000 }),
    vs(FIGURE.stallOneChanged, 13.5, 132.5, 0.1, { connections: 1000 }),
  ]),
  run("replay", [vs(FIGURE.replayWhole, 0.99, 3.55, 3.6, { lines: 80_000 }), vs(FIGURE.replayStartup, 0.4, 0.165, 2.42)]),
  run("restarts", [
    vs(FIGURE.falseDowns, 3, 0, undefined, { connections: 1000, restarts: 10 }),
    vs(FIGURE.restartsWithFalseDowns, 2, 0, undefined, { connections: 1000, restarts: 10 }),
    vs(FIGURE.rssStart, 223, 0, undefined, { connections: 1000 }),
    vs(FIGURE.rssMaxAfterRestarts, 396, 0, undefined, { connections: 1000, restarts: 20 }),
  ]),
]);

const rowsOf = (lines: string[]) => lines.slice(2).map((l) => l.split(" | ").map((c) => c.replace(/^\| | \|$/g, "")));

describe("issue 15's targets table", () => {
  it("has the issue's rows, in its order, with its figures at filing and its targets", () => {
    const issue = [
      ["`/metrics` req/s with 10k events/s vs prom-client with the same cache, at 1 / 10 / 100 connections", "0.59 / 0.44 / 0.78x", ">= 2x"],
      ["p99 of `/metrics` with events, 100 connections", "841 ms", "< 50 ms"],
      ["event-loop stall for one scrape at 1,000 connections (cache miss)", "~500 ms", "< 20 ms"],
      ["connections wrongly shown down after a broker restart, 1,000 connections, 10 restarts", "1-2 in 2 of 10", "0"],
      ["`replay` 80k lines, whole process, vs the Python original", "3.6x", ">= 20x"],
      ["`replay` start-up on an empty journal", "0.40 s", "< 0.2 s"],
      ["RSS at 1,000 connections", "223 MB", "< 200 MB, flat over 20 restarts (now 396 MB after 5)"],
    ];
    expect(TARGETS.map((t) => [t.what, t.atFiling, t.target])).toEqual(issue);
  });

  it("reads every row of a run from its figures, misses pointing at the prose on the gap", () => {
    const rows = rowsOf(targetsTable(asFiled));
    expect(rows.map((r) => r[2])).toEqual([
      "0.59 / 0.44 / 0.78x",
      "841 ms (prom-client 29 ms)",
      "500 ms every connection changed (one changed 13.5 ms; prom-client 132.5 ms)",
      "3 in 2 of 10",
      "3.6x (0.990 s vs 3.550 s)",
      "0.400 s (bare node 0.165 s, 2.42x)",
      "223 MB at start, up to 396 MB over 20 restarts",
    ]);
    for (const r of rows) expect(r[4]).toMatch(/^\*\*missed\*\* \(gap: docs\/benchmarks\.md#/);
  });

  it("says met when a figure reaches its target under the issue's conditions", () => {
    const met = new Map([
      run("metrics", [
        vs(FIGURE.rps(1, true), 3, 1, 3),
        vs(FIGURE.rps(10, true), 2, 1, 2),
        vs(FIGURE.rps(100, true), 2.5, 1, 2.5),
        vs(FIGURE.p99(100, true), 12, 30, undefined),
        vs(FIGURE.stallAllChanged, 8, 130, 0.06, { connections: 1000 }),
      ]),
      run("replay", [vs(FIGURE.replayWhole, 0.03, 0.6, 20, { lines: 80_000 }), vs(FIGURE.replayStartup, 0.09, 0.057, 1.6)]),
      run("restarts", [
        vs(FIGURE.falseDowns, 0, 0, undefined, { connections: 1000, restarts: 20 }),
        vs(FIGURE.restartsWithFalseDowns, 0, 0, undefined),
        vs(FIGURE.rssStart, 180, 0, undefined, { connections: 1000 }),
        vs(FIGURE.rssMaxAfterRestarts, 195, 0, undefined, { connections: 1000, restarts: 20 }),
      ]),
    ]);
    expect(rowsOf(targetsTable(met)).map((r) => r[4])).toEqual(Array(7).fill("met"));
  });

  it("under easier conditions (a smoke run) proves only a miss, never a pass", () => {
    const smoke = new Map([
      run("metrics", [vs(FIGURE.rps(1, true), 3, 1, 3), vs(FIGURE.rps(10, true), 3, 1, 3), vs(FIGURE.stallAllChanged, 5, 20, 0.25, { connections: 50 })]),
      run("restarts", [vs(FIGURE.falseDowns, 1, 0, undefined, { connections: 10, restarts: 1 }), vs(FIGURE.rssStart, 90, 0, undefined, { connections: 10 })]),
    ]);
    const status = rowsOf(targetsTable(smoke)).map((r) => r[4]);
    expect(status[0]).toBe("not comparable (not measured at 100 connections)");
    expect(status[1]).toBe("not comparable (100 connections not recorded)");
    expect(status[2]).toBe("not comparable (at 50 connections)");
    expect(status[3]).toBe("**missed** (10 connections, 1 restarts; gap: docs/benchmarks.md#1000-connections)");
    expect(status[4]).toBe("not run (bench:replay did not run)");
    expect(status[6]).toBe("not comparable (10 connections, 0 restarts)");
  });

  it("puts each bench's machine and conditions above the table, or says it did not run", () => {
    const report = targetsReport(new Map([run("metrics", [], { repetitions: 3 })]));
    expect(report.slice(0, 3)).toEqual([
      "- `bench:metrics`: Measured 2026-11-25 21:40 UTC on Intel Xeon, 2 cores, 24 GiB, Node 20.20.2, load average 1.9 at start and 2.1 at end. Conditions: repetitions: 3.",
      "- `bench:restarts`: not run.",
      "- `bench:replay`: not run.",
    ]);
    expect(report[4]).toBe("| what | at filing | this run | target | met |");
    expect(report).toHaveLength(4 + 2 + TARGETS.length);
  });
});
