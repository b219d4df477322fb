import { describe, expect, it } from "vitest";
import { boundLabelValue, capLabels, MAX_LABEL_VALUE_LENGTH, MAX_LABEL_VALUES, OVERFLOW_LABEL } from "../../../src/metrics/label-cap.js";
import { hangup, startTestApp } from "../../helpers/app.js";

describe("label cap", () => {
  it("keeps the first values and sums the rest into other", () => {
    const counts = new Map(Array.from({ length: MAX_LABEL_VALUES + 5 }, (_, i) => [`E${i}`, 1] as const));
    const capped = capLabels(counts);
    expect(capped.size).toBe(MAX_LABEL_VALUES);
    expect(capped.get("E0")).toBe(1);
    expect(capped.get(OVERFLOW_LABEL)).toBe(6);
  });

  it("bounds a value's length without splitting a surrogate pair", () => {
    expect(boundLabelValue("x".repeat(5_000_000))).toHaveLength(MAX_LABEL_VALUE_LENGTH);
    const emoji = `${"a".repeat(MAX_LABEL_VALUE_LENGTH - 4)}😀😀😀`;
    const b = boundLabelValue(emoji);
    expect(b.length).toBeLessThanOrEqual(MAX_LABEL_VALUE_LENGTH);
    expect(Buffer.from(b, "utf8").toString("utf8")).toBe(b);
    expect(b.endsWith("...")).toBe(true);
  });

  it("sums values that are equal once bounded", () => {
    const long = "A".repeat(MAX_LABEL_VALUE_LENGTH);
    const capped = capLabels(
      new Map([
        [`${long}1`, 2],
        [`${long}2`, 3],
        ["short", 1],
      ]),
    );
    expect([...capped.values()]).toEqual([5, 1]);
  });

  it("puts no 5 MB error name into the exposition", async () => {
    const t = await startTestApp(["heater-1"]);
    try {
      const c = t.registry.getOrCreate("heater-1");
      c.recordConnectionDrop({ error: { ...hangup, error_name: `AWS_ERROR_${"X".repeat(5 * 1024 * 1024)}` } });
      const body = (await t.app.inject({ method: "GET", url: "/metrics" })).body;
      const longest = Math.max(...body.split("\n").map((l) => l.length));
      expect(longest).toBeLessThan(MAX_LABEL_VALUE_LENGTH + 200);
      expect(body).toMatch(/error_name="AWS_ERROR_X+\.\.\."\} 1/);
    } finally {
      await t.close();
    }
  });
});
