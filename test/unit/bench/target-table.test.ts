import { describe, expect, it } from "vitest";
import { benchesOf, judge, reportOf, tableOf, type Target } from "../../../bench/target-table.js";

const target = (what: string, benches: string[], status: "met" | "missed"): Target => ({
  what,
  atFiling: "before",
  target: "goal",
  gap: "docs/benchmarks.md#gap",
  benches,
  evaluate: () => ({ now: "now", status }),
});

describe("an issue's targets table", () => {
  it("judges a pass under easier conditions as not comparable, and a miss there only where it proves one", () => {
    expect(judge(true, true)).toEqual({ status: "met" });
    expect(judge(false, true)).toEqual({ status: "missed" });
    expect(judge(true, "10 connections")).toEqual({ status: "not comparable", note: "10 connections" });
    expect(judge(false, "10 connections")).toEqual({ status: "missed", note: "10 connections" });
    expect(judge(false, "1,000 lines", false)).toEqual({ status: "not comparable", note: "1,000 lines" });
  });

  it("writes one row per target, a miss pointing at its gap, under each bench's line", () => {
    const targets = [target("a", ["metrics"], "met"), target("b", ["metrics", "replay"], "missed")];
    expect(benchesOf(targets)).toEqual(["metrics", "replay"]);
    expect(tableOf(targets, new Map())).toEqual([
      "| what | at filing | this run | target | met |",
      "|---|---|---|---|---|",
      "| a | before | now | goal | met |",
      "| b | before | now | goal | **missed** (gap: docs/benchmarks.md#gap) |",
    ]);
    expect(reportOf(targets, new Map()).slice(0, 3)).toEqual(["- `bench:metrics`: not run.", "- `bench:replay`: not run.", ""]);
  });
});
