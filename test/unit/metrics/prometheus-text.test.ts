import { DataPointType, type MetricData } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { familyHeader, familyName, familyType, labelName, labelText, valueText } from "../../../src/metrics/prometheus-text.js";

const metric = (name: string, dataPointType: DataPointType, isMonotonic = false) =>
  ({
    descriptor: { name, description: "", unit: "", valueType: 1, type: "COUNTER" },
    dataPointType,
    isMonotonic,
    aggregationTemporality: 1,
    dataPoints: [],
  }) as unknown as MetricData;

describe("prometheus text spelling", () => {
  it("makes label names valid as exporter-prometheus does, a leading digit escaped", () => {
    expect(labelName("otel.metric.overflow")).toBe("otel_metric_overflow");
    expect(labelName("9.bad-key")).toBe("_9_bad_key");
    expect(labelName("a..b")).toBe("a_b");
  });

  it("escapes label values and writes non-strings as JSON", () => {
    expect(labelText({ a: 'x"y\\z\nw', b: true, c: 3 })).toBe('{a="x\\"y\\\\z\\nw",b="true",c="3"}');
    expect(labelText({}, 'le="1"')).toBe('{le="1"}');
    expect(labelText({})).toBe("");
  });

  it("names counters with _total once, and spells infinities", () => {
    expect(familyName(metric("mqtt_client_connections", DataPointType.SUM, true))).toBe("mqtt_client_connections_total");
    expect(familyName(metric("already_total", DataPointType.SUM, true))).toBe("already_total");
    expect(familyName(metric("up.down", DataPointType.SUM, false))).toBe("up_down");
    expect(familyType(metric("g", DataPointType.SUM, false))).toBe("gauge");
    expect(familyType(metric("h", DataPointType.HISTOGRAM))).toBe("histogram");
    expect([valueText(Infinity), valueText(-Infinity), valueText(0.5)]).toEqual(["+Inf", "-Inf", "0.5"]);
    expect(familyHeader("x", "a\\b\nc", "gauge")).toBe("# HELP x a\\\\b\\nc\n# TYPE x gauge\n");
  });
});
