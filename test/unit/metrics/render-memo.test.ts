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

  it("writes a connection's zero series once", () => {
    const memo = new RenderMemo();
    const z = { name: "h", help: "h", boundaries: [1] };
    let writes = 0;
    const write = () => `zeros ${++writes}\n`;
    expect(memo.zeros(z, "c", write)).toBe("zeros 1\n");
    expect(memo.zeros(z, "c", write)).toBe("zeros 1\n");
    expect(memo.zeros(z, "d", write)).toBe("zeros 2\n");
  });

  it("says when a histogram's zero series differ from the last time", () => {
    const memo = new RenderMemo();
    expect(memo.zerosChanged("h", "a")).toBe(true);
    expect(memo.zerosChanged("h", "a")).toBe(false);
    expect(memo.zerosChanged("h", "")).toBe(true);
  });
});
