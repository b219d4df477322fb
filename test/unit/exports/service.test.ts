import { describe, expect, it } from "vitest";
import * as entry from "../../../src/exports/service.js";

describe("mqtt-diagnostics-exporter/service", () => {
  it("holds the whole service in-process and the parts it is built from", () => {
    expect(Object.keys(entry).sort()).toEqual(["buildApp", "createTelemetry", "loadConfigFile", "startService", "validateConfig"]);
  });
});
