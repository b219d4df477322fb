import { describe, expect, it } from "vitest";
import * as lib from "../../src/index.js";

describe("the package root", () => {
  it("exports the library API", () => {
    for (const name of ["MqttDiagnosticsCollector", "instrumentMqtt5Client", "instrumentMqtt311Connection", "createTelemetry", "buildApp", "JournalWriter", "restoreJournal", "diagnose", "startService"]) {
      expect(typeof (lib as Record<string, unknown>)[name], name).toBe("function");
    }
  });
});
