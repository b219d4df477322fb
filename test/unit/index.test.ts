import { describe, expect, it } from "vitest";
import * as lib from "../../src/index.js";

describe("the package root", () => {
  it("is what an app needs, one way each: a collector on its client, AWS's side, evidence shipping, the plugin, instruments on its meter", () => {
    expect(Object.keys(lib).sort()).toEqual([
      "CollectorRegistry",
      "EvidenceShipper",
      "MqttDiagnosticsCollector",
      "instrumentMqtt311Connection",
      "instrumentMqtt5Client",
      "metricViews",
      "mqtt311Publisher",
      "mqtt5Publisher",
      "mqttDiagnostics",
      "observeLifecycle",
      "registerInstruments",
    ]);
  });
});
