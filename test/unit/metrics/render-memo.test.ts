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

  it("starts a metric's memory empty", () => {
    const m = new RenderMemo().family("x");
    expect([m.header, m.attributes, m.values]).toEqual([undefined, [], []]);
  });

  it("says when the connections given zero histograms differ from the last time", () => {
    const memo = new RenderMemo();
    expect(memo.zerosChanged("h", ["a"])).toBe(true);
    expect(memo.zerosChanged("h", ["a"])).toBe(false);
    expect(memo.zerosChanged("h", [])).toBe(true);
    expect(memo.zerosChanged("other", [])).toBe(true);
  });
});
