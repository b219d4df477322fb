import { describe, expect, it } from "vitest";
import { MAX_LABEL_VALUES } from "../../../src/metrics/label-cap.js";
import { NAMES } from "../../../src/metrics/names.js";
import { HISTOGRAM_BOUNDARIES, metricViews } from "../../../src/metrics/views.js";

describe("metricViews", () => {
  it("one view per instrument (two would export it twice), each with the cardinality limit", () => {
    const views = metricViews(10);
    expect(views.map((v) => v.instrumentName).sort()).toEqual(Object.values(NAMES).sort());
    for (const v of views) expect(v.aggregationCardinalityLimit).toBe(10 * MAX_LABEL_VALUES + 1);
  });

  it("histograms get their boundaries, nothing else gets an aggregation", () => {
    for (const v of metricViews(1)) {
      const boundaries = HISTOGRAM_BOUNDARIES.get(v.instrumentName ?? "");
      if (boundaries === undefined) expect(v.aggregation).toBeUndefined();
      else expect(v.aggregation).toMatchObject({ options: { boundaries: [...boundaries] } });
    }
    expect(HISTOGRAM_BOUNDARIES.size).toBe(3);
  });
});
