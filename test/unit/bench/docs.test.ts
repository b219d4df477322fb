import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { regenerateDocs, writeDocs } from "../../../bench/docs.js";
import { benchResults, readResults, type BenchResults } from "../../../bench/results.js";

const metrics: BenchResults = {
  version: 1,
  bench: "metrics",
  startedAt: "2026-11-25T21:40:00.000Z",
  finishedAt: "2026-11-25T21:50:00.000Z",
  machine: { cpu: "Intel Xeon", cores: 2, memoryGiB: 24, node: "v20.20.2", loadStart: 1.9, loadEnd: 2.1 },
  conditions: { "s per cell": 5, repetitions: 3 },
  figures: [],
  tables: [
    { id: "throughput", lines: ["| connections | ratio |", "|---|---|", "| 1 | 0.73 |"] },
    { id: "stall", title: "Longest stall:", lines: ["| ms |", "|---|", "| 21.7 |"] },
  ],
};

const doc = [
  "# Benchmarks",
  "",
  "Sections sit between `<!-- bench:begin NAME -->` and `<!-- bench:end NAME -->` (quoted, not markers).",
  "Prose before, with a hand-written table kept as is:",
  "",
  "| before | after |",
  "|---|---|",
  "| 2,990 | 1,470 |",
  "",
  "<!-- bench:begin metrics -->",
  "| pasted | by hand |",
  "<!-- bench:end metrics -->",
  "",
  "Why the ratio is below 2x: prose between sections.",
  "",
  "<!-- bench:begin replay -->",
  "old replay figures",
  "<!-- bench:end replay -->",
  "<!-- bench:begin targets -->",
  "old targets",
  "<!-- bench:end targets -->",
  "<!-- bench:begin targets-24 -->",
  "old issue 24 targets",
  "<!-- bench:end targets-24 -->",
  "Prose after.",
  "",
].join("\n");

describe("docs/benchmarks.md regenerated from results", () => {
  it("rewrites a ran bench's section with its conditions and tables, keeping every line of prose", () => {
    const r = regenerateDocs(doc, new Map([["metrics", metrics]]), "bench-results/2026-11-25T21-40-00Z");
    expect(r.rewritten).toEqual(["metrics"]);
    expect(r.skipped).toEqual([
      "replay (bench:replay did not run)",
      "targets (bench:restarts, bench:replay did not run)",
      "targets-24 (bench:restarts, bench:import, bench:replay did not run)",
    ]);
    const section = r.text.slice(r.text.indexOf("<!-- bench:begin metrics -->"), r.text.indexOf("<!-- bench:end metrics -->"));
    expect(section.split("\n")).toEqual([
      "<!-- bench:begin metrics -->",
      "<!-- generated from bench-results/2026-11-25T21-40-00Z by `npm run docs:bench`: edit the prose outside the bench markers, not this -->",
      "Measured 2026-11-25 21:40 UTC on Intel Xeon, 2 cores, 24 GiB, Node 20.20.2, load average 1.9 at start and 2.1 at end. Conditions: s per cell: 5; repetitions: 3.",
      "",
      "| connections | ratio |",
      "|---|---|",
      "| 1 | 0.73 |",
      "",
      "Longest stall:",
      "",
      "| ms |",
      "|---|",
      "| 21.7 |",
      "",
      "",
    ]);
    expect(r.text).not.toContain("pasted");
    // Outside the markers nothing changed.
    const outside = (t: string) => t.replace(/<!-- bench:begin metrics -->[\s\S]*<!-- bench:end metrics -->/, "");
    expect(outside(r.text)).toBe(outside(doc));
  });

  it("is idempotent: the same results give the same document", () => {
    const results = new Map([["metrics", metrics]]);
    const once = regenerateDocs(doc, results, "r").text;
    expect(regenerateDocs(once, results, "r").text).toBe(once);
  });

  it("rewrites each targets section only once every bench it reads ran", () => {
    const all = new Map(["metrics", "replay", "restarts"].map((b) => [b, { ...metrics, bench: b, tables: [] }]));
    const r = regenerateDocs(doc, all, "r");
    expect(r.rewritten).toEqual(["metrics", "replay", "targets"]);
    expect(r.skipped).toEqual(["targets-24 (bench:import did not run)"]);
    expect(r.text).toContain("| what | at filing | this run | target | met |");
    expect(r.text).not.toContain("old targets");
    all.set("import", { ...metrics, bench: "import", tables: [] });
    const again = regenerateDocs(doc, all, "r");
    expect(again.rewritten).toEqual(["metrics", "replay", "targets", "targets-24"]);
    expect(again.text).not.toContain("old issue 24 targets");
  });

  it("refuses a section whose end marker names another, or that never ends", () => {
    expect(() => regenerateDocs("<!-- bench:begin a -->\nx\n<!-- bench:end b -->\n", new Map(), "r")).toThrow(/ends with the marker of 'b'/);
    expect(() => regenerateDocs("<!-- bench:begin a -->\nx\n", new Map(), "r")).toThrow(/without their bench:end/);
  });

  it("docs/benchmarks.md has one well-formed section per bench script, and the targets", () => {
    const root = new URL("../../../", import.meta.url);
    const scripts = Object.keys((JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { scripts: Record<string, string> }).scripts);
    const benches = scripts.filter((s) => s.startsWith("bench:")).map((s) => s.slice(6));
    const r = regenerateDocs(readFileSync(new URL("docs/benchmarks.md", root), "utf8"), new Map(), "r");
    expect(r.rewritten).toEqual([]);
    expect(r.skipped.map((s) => s.split(" ")[0]).sort()).toEqual([...benches, "targets", "targets-24"].sort());
  });

  it("writes the file from the results read from a folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "mde-docs-test-"));
    try {
      const r = benchResults("metrics", { repetitions: 1 }, dir);
      r.table("throughput", ["| fresh |"]);
      const file = join(dir, "benchmarks.md");
      writeFileSync(file, doc);
      expect(writeDocs(file, readResults(dir), "results").rewritten).toEqual(["metrics"]);
      const text = readFileSync(file, "utf8");
      expect(text).toContain("| fresh |");
      expect(text).toContain("Why the ratio is below 2x: prose between sections.");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
