import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FleetFileError, replayFleet } from "../../../src/fleet/fleet-replay.js";
import { fleetPlay } from "../../helpers/fleet-generator.js";

const dir = mkdtempSync(join(tmpdir(), "mde-fleet-replay-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("replayFleet", () => {
  const play = fleetPlay({ perScenario: 2, evidence: true, duplicateShare: 0.2, shuffle: true });

  it("reads AWS's events (CloudWatch Logs lines with their time prefix too) and the evidence, whatever its order", async () => {
    const events = play.events.map((e, i) => (i % 2 === 0 ? JSON.stringify(e) : `2026-12-01T00:00:00.000Z ${JSON.stringify(e)}`));
    const file = write("events.jsonl", events);
    const evidence = write(
      "evidence.jsonl",
      [...play.evidence].reverse().map((m) => JSON.stringify(m)),
    );
    const warnings: string[] = [];
    const r = await replayFleet({ file, evidence, warn: (t) => warnings.push(t) });
    expect(warnings).toEqual([]);
    expect(r.summary.devices).toHaveLength(play.truth.size);
    expect(r.summary.devices.find((d) => d.client_id === "keep_alive_expiry-1")).toEqual({ client_id: "keep_alive_expiry-1", cause: "network_unstable" });
    expect(r.state.device("keep_alive_expiry-1")?.lastSeq).toBe(8);
  });

  it("skips corrupt lines with a warning naming the line; AWS's subscribe events and blank lines quietly", async () => {
    const file = write("mixed.jsonl", [
      JSON.stringify(play.events[0]),
      "{torn",
      "",
      JSON.stringify({ clientId: "x", eventType: "subscribed", timestamp: 1 }),
      "no json here",
    ]);
    const warnings: string[] = [];
    const r = await replayFleet({ file, warn: (t) => warnings.push(t) });
    expect(r.records).toBe(1);
    expect(r.skipped).toBe(2);
    expect(warnings).toEqual([`${file}:2: skipped: not JSON`, `${file}:5: skipped: not JSON`]);
  });

  it("a file it cannot read is a FleetFileError naming the flag", async () => {
    await expect(replayFleet({ file: join(dir, "absent.jsonl"), warn: () => {} })).rejects.toThrow(FleetFileError);
    await expect(replayFleet({ file: write("one.jsonl", [JSON.stringify(play.events[0])]), evidence: join(dir, "nope"), warn: () => {} })).rejects.toThrow(
      "--evidence: cannot read",
    );
  });
});
