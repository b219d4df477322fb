import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../../helpers/cli.js";
import { fleetPlay, SCENARIOS } from "../../helpers/fleet-generator.js";

const dir = mkdtempSync(join(tmpdir(), "mde-fleet-replay-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, lines.length > 0 ? `${lines.join("\n")}\n` : "");
  return path;
};

describe("mqtt-diagnostics fleet-replay", () => {
  const play = fleetPlay({ perScenario: 4, evidence: true, duplicateShare: 0.25, shuffle: true, seed: 7 });
  const events = write("events.jsonl", [...play.events.map((e) => JSON.stringify(e)), "{torn line"]);
  const evidence = write(
    "evidence.jsonl",
    play.evidence.map((m) => JSON.stringify(m)),
  );

  it("prints devices_by_cause and each device's first cause, which match what the fleet played; a corrupt line is a warning", () => {
    const r = runMain(["fleet-replay", events, "--evidence", evidence]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`warning: ${events}:${play.events.length + 1}: skipped: not JSON\n`);
    const out = JSON.parse(r.stdout) as { devices_by_cause: Record<string, number>; devices: { client_id: string; cause: string }[] };
    const expected = [...play.truth].map(([id, truth]) => ({ client_id: id, cause: truth }));
    expect(out.devices).toEqual(expected.sort((a, b) => (a.client_id < b.client_id ? -1 : 1)));
    const counts: Record<string, number> = {};
    for (const d of expected) counts[d.cause] = (counts[d.cause] ?? 0) + 1;
    expect(out.devices_by_cause).toEqual(counts);
    expect(Object.values(out.devices_by_cause).reduce((a, b) => a + b, 0)).toBe(SCENARIOS.length * 4);
  });

  it.each([
    [["fleet-replay"], "mqtt-diagnostics fleet-replay: expects exactly one FILE of AWS lifecycle events (JSON Lines)\n"],
    [["fleet-replay", "/nonexistent/x.jsonl"], "mqtt-diagnostics fleet-replay: FILE: cannot read '/nonexistent/x.jsonl' (ENOENT)\n"],
    [["fleet-replay", dir], `mqtt-diagnostics fleet-replay: FILE: '${dir}' is a directory; give a JSON Lines file\n`],
    [["fleet-replay", events, "--evidence", "/nonexistent/e"], "mqtt-diagnostics fleet-replay: --evidence: cannot read '/nonexistent/e' (ENOENT)\n"],
    [["fleet-replay", events, "--evidence"], "mqtt-diagnostics fleet-replay: Option '--evidence <value>' argument missing\n"],
  ])("refuses %j in one line, exit 2", (args, stderr) => {
    const r = runMain(args);
    expect([r.code, r.stderr, r.stdout]).toEqual([2, stderr, ""]);
  });

  it("an unknown flag is one line, exit 2", () => {
    const r = runMain(["fleet-replay", events, "--nope"]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toMatch(/^mqtt-diagnostics fleet-replay: Unknown option '--nope'[^\n]*\n$/);
  });

  it("a file with no event in it is one line, exit 2", () => {
    const r = runMain(["fleet-replay", write("bad.jsonl", ["nope", "{"])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mqtt-diagnostics fleet-replay: '.*bad\.jsonl': no AWS lifecycle events or evidence messages \(first: .*not JSON\)\n$/);
  });
});
