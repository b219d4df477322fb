import { describe, expect, it } from "vitest";
import * as lib from "../../src/index.js";

describe("the package root", () => {
  it("is what an app needs, one way each: a collector on its client, AWS's side, the plugin, instruments on its meter", () => {
    expect(Object.keys(lib).sort()).toEqual(["CollectorRegistry", "MqttDiagnosticsCollector", "instrumentMqtt311Connection", "instrumentMqtt5Client", "metricViews", "mqttDiagnostics", "observeLifecycle", "registerInstruments"]);
  });
});
