import { describe, expect, it } from "vitest";
import { CHART_MAX_CAUSES, causeChartHtml } from "../../../../src/http/routes/cause-chart.js";

const at = (minute: number, counts: Record<string, number>) => ({ at: Date.UTC(2026, 11, 6, 7, minute), counts: new Map(Object.entries(counts)) });

describe("causeChartHtml", () => {
  it("draws nothing before the second sample", () => {
    expect(causeChartHtml([])).toBe("");
    expect(causeChartHtml([at(0, { healthy: 3 })])).toBe("");
  });

  it("draws one line per cause over the samples, a cause missing from a sample at zero, names escaped, with a legend and the time axis", () => {
    const html = causeChartHtml([at(0, { healthy: 4 }), at(1, { healthy: 3, "<x>": 1 }), at(2, { healthy: 2, "<x>": 2 })]);
    expect(html.match(/<polyline /g)).toHaveLength(2);
    const points = (cause: string) => new RegExp(`data-cause="${cause}"[^>]*points="([^"]+)"`).exec(html)?.[1]?.split(" ");
    expect(points("healthy")).toHaveLength(3);
    // The y axis runs from 0 (bottom, y=182) to the peak, 4 (top, y=8).
    expect(points("&#60;x&#62;")?.[0]).toBe("48.0,182.0");
    expect(points("healthy")?.[0]).toBe("48.0,8.0");
    expect(html).toContain("07:00 UTC");
    expect(html).toContain("07:02 UTC");
    expect(html).toContain("&#60;x&#62;</li>");
    expect(html).not.toContain("<x>");
  });

  it(`draws at most ${CHART_MAX_CAUSES} causes, the ones with the most devices, and names the rest`, () => {
    const counts = Object.fromEntries(Array.from({ length: CHART_MAX_CAUSES + 2 }, (_, i) => [`cause_${String(i).padStart(2, "0")}`, 100 - i]));
    const html = causeChartHtml([at(0, counts), at(1, counts)]);
    expect(html.match(/<polyline /g)).toHaveLength(CHART_MAX_CAUSES);
    expect(html).toContain(`Not drawn (fewer devices): cause_${CHART_MAX_CAUSES}, cause_${CHART_MAX_CAUSES + 1}.`);
  });
});
