import { describe, expect, it } from "vitest";
import { confidenceFrom, cv, fmtSeconds, median } from "../../../src/diagnosis/stats.js";

describe("diagnosis statistics", () => {
  it("median of odd and even counts, NaN of nothing, input left unsorted", () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("coefficient of variation: 0 for identical values, NaN where undefined", () => {
    expect(cv([300, 300, 300])).toBe(0);
    expect(cv([1, 3])).toBeCloseTo(0.5);
    expect(cv([7])).toBeNaN();
    expect(cv([1, -1])).toBeNaN();
  });

  it("confidence: 0 below the minimum, the base at it, growing towards the cap", () => {
    expect(confidenceFrom(2, 3, 0.5)).toBe(0);
    expect(confidenceFrom(3, 3, 0.5)).toBe(0.5);
    const more = [4, 6, 10, 100].map((n) => confidenceFrom(n, 3, 0.5));
    expect(more[0]).toBeGreaterThan(0.5);
    expect(more).toEqual([...more].sort((a, b) => a - b));
    expect(confidenceFrom(1000, 3, 0.5)).toBe(0.95);
    expect(confidenceFrom(1000, 3, 0.5, 0.8)).toBe(0.8);
  });

  it("formats durations in the unit a reader expects", () => {
    expect([fmtSeconds(42), fmtSeconds(330), fmtSeconds(86400)]).toEqual(["42.0 s", "5.5 min", "24.0 h"]);
  });
});
