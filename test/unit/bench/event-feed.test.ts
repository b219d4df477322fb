import { describe, expect, it } from "vitest";
import { startFeed } from "../../../bench/metrics/event-feed.js";
import { seriesOf } from "../../../bench/metrics/harness.js";

describe("startFeed", () => {
  it("a blocked event loop skips no event: what fell due is delivered in order afterwards", async () => {
    const seen: number[] = [];
    const feed = startFeed((k) => seen.push(k), 100_000, 1);
    // Hold the loop until at least 200 events fell due, as a long render would.
    const t0 = performance.now();
    while (performance.now() - t0 < 5);
    await new Promise((r) => setTimeout(r, 0));
    const { delivered, seconds } = feed.stop();
    expect(delivered).toBe(Math.floor(seconds * 100_000));
    expect(delivered).toBeGreaterThanOrEqual(500);
    expect(seen).toEqual(Array.from({ length: delivered }, (_, i) => i));
  });
});

describe("seriesOf", () => {
  it("names a series by its name and sorted labels, whatever their order or value", () => {
    const ours = 'a_bucket{connection="d",le="1"} 3\n# HELP a x\nb 1\n';
    const theirs = 'a_bucket{le="1",connection="d"} 0\nb 7\n';
    expect(seriesOf(ours)).toEqual(seriesOf(theirs));
    expect([...seriesOf(ours)]).toEqual(['a_bucket{connection="d",le="1"}', "b{}"]);
  });
});
