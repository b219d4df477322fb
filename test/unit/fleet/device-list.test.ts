import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { connectFailedEvent, connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { CursorError, devicePage } from "../../../src/fleet/device-list.js";
import { FleetState } from "../../../src/fleet/fleet-state.js";

const T = 1_780_000_000_000;
const facts = (id: string, n: number) => ({
  clientId: id,
  sessionIdentifier: `${id}-${n}`,
  principalIdentifier: "p",
  ipAddress: "198.51.100.1",
  versionNumber: n,
});

/** Devices d0..d9, device dK with K throttled drops; and three refused ones. */
function fleet(): FleetState {
  const clock = new ManualClock(T);
  const state = new FleetState(clock);
  for (let k = 0; k < 10; k++) {
    const id = `d${k}`;
    state.apply({ kind: "lifecycle", clientId: id, event: connectedEvent(facts(id, 0), T), receivedAt: T });
    for (let n = 1; n <= k; n++) state.apply({ kind: "lifecycle", clientId: id, event: disconnectedEvent(facts(id, n), T + n, "THROTTLED"), receivedAt: T });
  }
  for (const id of ["r1", "r2", "r3"])
    for (let n = 1; n <= 3; n++) state.apply({ kind: "lifecycle", clientId: id, event: connectFailedEvent(facts(id, n), T + n), receivedAt: T });
  state.refresh({ all: true });
  return state;
}

describe("devicePage", () => {
  const state = fleet();

  it("pages through a cause's devices, most drops first, without repeats or gaps", () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = devicePage(state, { cause: "server_throttling", sort: "drops", limit: 4, ...(cursor !== undefined ? { cursor } : {}) });
      expect(page.total).toBe(9);
      seen.push(...page.devices.map((d) => d.client_id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual(["d9", "d8", "d7", "d6", "d5", "d4", "d3", "d2", "d1"]);
  });

  it("sorts by client ID, with each device's row", () => {
    const page = devicePage(state, { sort: "client_id", limit: 2 });
    expect(page.devices).toEqual([
      { client_id: "d0", cause: "healthy", drops: 0, connected: true, transport: null, last_seq: 0 },
      { client_id: "d1", cause: "server_throttling", drops: 1, connected: false, transport: null, last_seq: 0 },
    ]);
    expect(page.total).toBe(13);
  });

  it("refuses a cursor it did not give", () => {
    expect(() => devicePage(state, { sort: "drops", limit: 1, cursor: "bm9wZQ" })).toThrow(CursorError);
  });
});
