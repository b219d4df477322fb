import { describe, expect, it } from "vitest";
import * as entry from "../../../src/exports/collector.js";

describe("mqtt-diagnostics-exporter/collector", () => {
  it("holds the collector's parts that left the root", () => {
    expect(Object.keys(entry).sort()).toEqual([
      "AWS_DISCONNECT_REASONS",
      "DEFAULT_EXPORT_LIMIT",
      "DEFAULT_JOIN_WINDOW_MS",
      "DEFAULT_MAX_EVENTS_RETAINED",
      "DisconnectReason",
      "MAX_CONNECTIONS",
      "METRIC_NAMES",
      "ManualClock",
      "connackReasonName",
      "describeError",
      "disconnectReasonName",
      "errorLabel",
      "joinLifecycle",
      "lifecycleTopic",
      "lifecycleTopics",
      "parseLifecycleEvent",
      "parseLifecycleJson",
      "systemClock",
    ]);
  });
});
