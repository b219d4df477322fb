import { describe, expect, it } from "vitest";
import * as entry from "../../../src/exports/diagnosis.js";

describe("mqtt-diagnostics-exporter/diagnosis", () => {
  it("holds the diagnosis: the diagnoser, the engine, a history and the text format", () => {
    expect(Object.keys(entry).sort()).toEqual(["createDiagnoser", "diagnose", "formatDiagnosis", "historyOf"]);
  });
});
