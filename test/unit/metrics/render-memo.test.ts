import { describe, expect, it } from "vitest";
import { RenderMemo } from "../../../src/metrics/render-memo.js";

describe("RenderMemo", () => {
  it("keeps one memory per metric", () => {
    const memo = new RenderMemo();
    const a = memo.family("x");
    a.name = "x_total";
    expect(memo.family("x")).toBe(a);
    expect(memo.family("y")).not.toBe(a);
  });

  it("gives a new attributes object with the same labels the text already spelled", () => {
    const memo = new RenderMemo();
    const before = { connection: "c" };
    const after = { connection: "c" };
    memo.labels.set(before, '{connection="c"}');
    memo.relabel(before, after);
    expect(memo.labels.get(after)).toBe('{connection="c"}');
    memo.relabel({ connection: "unknown" }, { connection: "x" });
    expect(memo.labels.has({ connection: "x" })).toBe(false);
  });

  it("says when the connections given zero histograms differ from the last time", () => {
    const memo = new RenderMemo();
    expect(memo.zerosChanged("h", ["a"])).toBe(true);
    expect(memo.zerosChanged("h", ["a"])).toBe(false);
    expect(memo.zerosChanged("h", [])).toBe(true);
    expect(memo.zerosChanged("other", [])).toBe(true);
  });
});
