import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EMPTY_SHIP_STATE, loadShipState, saveShipState, shipStatePath, shipStateProblem } from "../../../src/ship/ship-state.js";

const dir = () => mkdtempSync(join(tmpdir(), "mde-ship-state-"));

describe("the shipping state file", () => {
  it("lives beside the journal", () => {
    expect(shipStatePath("/var/lib/x/journal.jsonl")).toBe("/var/lib/x/journal.jsonl.evidence.json");
  });

  it("round-trips, written by rename (no temporary file left)", async () => {
    const d = dir();
    const path = join(d, "s.json");
    const state = { acked_seq: 140, cursor_ts: "2026-03-01T00:00:00.000Z", cursor_rank: 2, discarded_total: 3 };
    await saveShipState(path, state);
    expect(await loadShipState(path)).toEqual(state);
    expect(readdirSync(d)).toEqual(["s.json"]);
  });

  it("a missing file is a first start", async () => {
    expect(await loadShipState(join(dir(), "none.json"))).toEqual(EMPTY_SHIP_STATE);
  });

  it("a damaged file is warned about and ignored", async () => {
    const path = join(dir(), "bad.json");
    writeFileSync(path, '{"acked_seq":-1}');
    const warnings: unknown[] = [];
    expect(await loadShipState(path, { warn: (o) => warnings.push(o), error: () => undefined })).toEqual(EMPTY_SHIP_STATE);
    expect(warnings).toEqual([expect.objectContaining({ problem: expect.stringMatching(/acked_seq/) as unknown })]);
    writeFileSync(path, "{torn");
    expect(await loadShipState(path, { warn: () => undefined, error: () => undefined })).toEqual(EMPTY_SHIP_STATE);
  });

  it("checks each field", () => {
    expect(shipStateProblem(null)).toMatch(/object/);
    expect(shipStateProblem({ ...EMPTY_SHIP_STATE, cursor_ts: "yesterday" })).toMatch(/cursor_ts/);
    expect(shipStateProblem({ ...EMPTY_SHIP_STATE, discarded_total: 1.5 })).toMatch(/discarded_total/);
    expect(shipStateProblem(EMPTY_SHIP_STATE)).toBeNull();
  });
});
