import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { benchResults, describeRun, figureOf, newestResultsDir, readResults, shownPath, type BenchResults } from "../../../bench/results.js";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "mde-results-test-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("bench results", () => {
  it("writes nothing when no results folder is given", () => {
    const r = benchResults("metrics", { reps: 1 }, undefined);
    r.figure({ id: "a", what: "a", value: 1, unit: "ms" });
    expect(r.file).toBeUndefined();
    expect(r.snapshot().figures).toHaveLength(1);
  });

  it("keeps a complete file after every record: figures with unit, anchor and ratio, tables, conditions, machine", () => {
    const dir = tmp();
    const r = benchResults("replay", { "journal lines": 80_000 }, dir);
    const file = join(dir, "replay.json");
    expect((JSON.parse(readFileSync(file, "utf8")) as BenchResults).figures).toEqual([]);
    r.figure({
      id: "replay-whole",
      what: "replay",
      value: 0.25,
      unit: "s",
      anchor: { what: "Python", value: 0.6, unit: "s" },
      ratio: 2.4,
      ratioOf: "Python / ours",
      conditions: { lines: 80_000 },
    });
    expect(r.table("t", ["| a |", "|---|", "| 1 |"], "Title")).toBe("| a |\n|---|\n| 1 |");
    r.conditions({ python: "Python 3.11.7" });
    const saved = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
    expect(saved).toMatchObject({
      version: 1,
      bench: "replay",
      conditions: { "journal lines": 80_000, python: "Python 3.11.7" },
      figures: [{ id: "replay-whole", value: 0.25, unit: "s", anchor: { value: 0.6 }, ratio: 2.4, conditions: { lines: 80_000 } }],
      tables: [{ id: "t", title: "Title", lines: ["| a |", "|---|", "| 1 |"] }],
    });
    expect(saved.machine.cores).toBeGreaterThan(0);
    expect(saved.machine.node).toBe(process.version);
    expect(typeof saved.machine.loadStart).toBe("number");
    expect(readdirSync(dir)).toEqual(["replay.json"]);
  });

  it("replaces a figure or table recorded again under the same id", () => {
    const r = benchResults("restarts", {}, tmp());
    r.figure({ id: "false-downs", what: "f", value: 0, unit: "connections" });
    r.figure({ id: "false-downs", what: "f", value: 2, unit: "connections" });
    r.table("rounds", ["a"]);
    r.table("rounds", ["a", "b"]);
    const s = r.snapshot();
    expect(s.figures.map((f) => f.value)).toEqual([2]);
    expect(s.tables.map((t) => t.lines)).toEqual([["a", "b"]]);
  });

  it("reads a folder's results by bench, skipping and reporting files that are not results", () => {
    const dir = tmp();
    benchResults("metrics", {}, dir).figure({ id: "x", what: "x", value: 3, unit: "ms" });
    writeFileSync(join(dir, "junk.json"), "{}");
    writeFileSync(join(dir, "broken.json"), "{");
    const warnings: string[] = [];
    const results = readResults(dir, (m) => warnings.push(m));
    expect([...results.keys()]).toEqual(["metrics"]);
    expect(figureOf(results, "metrics", "x")?.value).toBe(3);
    expect(figureOf(results, "replay", "x")).toBeUndefined();
    expect(warnings).toHaveLength(2);
  });

  it("finds the newest run's folder by its name", () => {
    const root = tmp();
    expect(newestResultsDir(join(root, "none"))).toBeUndefined();
    expect(newestResultsDir(root)).toBeUndefined();
    for (const d of ["2026-11-25T21-00-00Z", "2026-11-26T08-00-00Z", "2026-11-25T23-00-00Z"]) mkdirSync(join(root, d));
    expect(newestResultsDir(root)).toBe(join(root, "2026-11-26T08-00-00Z"));
  });

  it("describes a run: when, the machine, the load at start and end, the conditions", () => {
    const r = benchResults("metrics", { "s per cell": 5, connections: [1, 10, 100], gzip: "no" }, undefined).snapshot();
    r.startedAt = "2026-11-25T21:40:12.000Z";
    r.machine = { cpu: "Intel Xeon", cores: 2, memoryGiB: 24, node: "v20.20.2", loadStart: 1.94, loadEnd: 2.26 };
    expect(describeRun(r)).toBe(
      "Measured 2026-11-25 21:40 UTC on Intel Xeon, 2 cores, 24 GiB, Node 20.20.2, load average 1.9 at start and 2.3 at end. Conditions: s per cell: 5; connections: 1, 10, 100; gzip: no.",
    );
  });
});

describe("shownPath", () => {
  it("names a results folder relative to the repository inside it, absolute outside", () => {
    expect(shownPath("/repo", "/repo/bench-results/2026")).toBe("bench-results/2026");
    expect(shownPath("/repo", "/tmp/r")).toBe("/tmp/r");
  });
});
