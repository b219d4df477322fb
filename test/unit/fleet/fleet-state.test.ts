import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { toJournalEvent } from "../../../src/journal/parse.js";
import { FleetState } from "../../../src/fleet/fleet-state.js";
import type { FleetRecord } from "../../../src/fleet/records.js";
import { fleetPlay, SCENARIOS, type FleetPlay } from "../../helpers/fleet-generator.js";

/** The fleet's records as a source hands them over (evidence lines checked as the parser does). */
function recordsOf(play: FleetPlay): FleetRecord[] {
  const lifecycle = play.events.map((event): FleetRecord => ({ kind: "lifecycle", clientId: event.clientId, event, receivedAt: 0 }));
  const evidence = play.evidence.map((m): FleetRecord => {
    const events = m.events.map((e) => {
      const parsed = toJournalEvent({ ...e.line });
      if (!parsed.ok) throw new Error(parsed.reason);
      return { seq: e.seq, line: parsed.event };
    });
    return { kind: "evidence", clientId: m.client_id, message: { ...m, events }, receivedAt: 0 };
  });
  return [...lifecycle, ...evidence];
}

const END = 1_790_000_000_000;

function run(play: FleetPlay, records = recordsOf(play)): FleetState {
  const clock = new ManualClock(END);
  const state = new FleetState(clock);
  for (const r of records) state.apply(r);
  clock.advance(state.windowMs + 1);
  state.refresh();
  return state;
}

describe("FleetState", () => {
  const play = fleetPlay({ perScenario: 3, evidence: true });

  it("names each device's cause as the generator played it, from AWS's events and (keep-alive devices) their evidence", () => {
    const state = run(play);
    for (const [id, truth] of play.truth) {
      expect([id, state.causeOf(id)]).toEqual([id, truth]);
    }
    expect(state.size).toBe(SCENARIOS.length * 3);
  });

  it("gives the same causes and counts with AWS's events duplicated and out of order", () => {
    const noisy = fleetPlay({ perScenario: 3, evidence: true, duplicateShare: 0.4, shuffle: true });
    const [a, b] = [run(play), run(noisy)];
    expect(Object.fromEntries(b.devicesByCause)).toEqual(Object.fromEntries(a.devicesByCause));
    expect(Object.fromEntries(b.awsReasons)).toEqual(Object.fromEntries(a.awsReasons));
    expect(b.repeats).toBeGreaterThan(0);
  });

  it("diagnoses a changed device only once its events had a join window to settle, a bounded number per call", () => {
    const clock = new ManualClock(END);
    const state = new FleetState(clock);
    for (const r of recordsOf(play)) state.apply(r);
    expect(state.refresh()).toBe(state.size);
    clock.advance(state.windowMs + 1);
    expect(state.refresh({ maxDevices: 5 })).toBe(state.size - 5);
    expect([...state.devicesByCause.values()].reduce((a, b) => a + b, 0)).toBe(5);
    expect(state.refresh()).toBe(0);
  });

  it("restores a checkpoint of some devices into another state: same causes, nothing counted twice", () => {
    const records = recordsOf(play);
    const half = Math.floor(records.length / 2);
    const first = run(play, records.slice(0, half));
    const ids = [...first.devices()].map(({ device }) => device.clientId);
    const snap = JSON.parse(JSON.stringify(first.snapshot(ids))) as unknown;
    const clock = new ManualClock(END);
    const second = new FleetState(clock);
    second.restore(snap);
    second.restore(snap);
    for (const r of records) second.apply(r); // the replica re-reads from before the checkpoint
    clock.advance(second.windowMs + 1);
    second.refresh();
    const whole = run(play);
    expect(Object.fromEntries(second.awsReasons)).toEqual(Object.fromEntries(whole.awsReasons));
    expect(Object.fromEntries(second.devicesByCause)).toEqual(Object.fromEntries(whole.devicesByCause));
    expect(second.snapshot()).toEqual(whole.snapshot());
  });

  it("refuses a checkpoint that is not one, naming the field, before changing anything", () => {
    const state = run(play);
    const snap = state.snapshot(["throttling-0"]) as unknown as { devices: Record<string, unknown>[] };
    (snap.devices[0] as Record<string, unknown>)["last_seq"] = -1;
    expect(() => state.restore(snap)).toThrow("devices[0].last_seq is invalid");
    expect(state.causeOf("throttling-0")).toBe("server_throttling");
  });

  it("forgets a device whose shard moved away, and its counts", () => {
    const state = run(play);
    const before = state.awsReasons.get("THROTTLED") ?? 0;
    state.remove("throttling-0");
    expect(state.device("throttling-0")).toBeUndefined();
    expect(state.awsReasons.get("THROTTLED")).toBe(before - 3);
    expect(state.devicesByCause.get("server_throttling")).toBe(2);
  });
});

describe("FleetState.refresh with a time budget", () => {
  it("stops once the budget is spent and leaves the rest for the next call", () => {
    const clock = new ManualClock(END);
    const state = new FleetState(clock);
    for (const r of recordsOf(fleetPlay({ perScenario: 5 }))) state.apply(r);
    clock.advance(state.windowMs + 1);
    const left = state.refresh({ maxMs: 0 });
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(state.size);
    expect(state.refresh()).toBe(0);
  });
});
