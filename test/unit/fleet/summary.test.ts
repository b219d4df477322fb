import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { connectFailedEvent, connectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { FleetState } from "../../../src/fleet/fleet-state.js";
import { fleetSummary } from "../../../src/fleet/summary.js";

const T = 1_780_000_000_000;
const facts = (id: string, n: number) => ({
  clientId: id,
  sessionIdentifier: `${id}-${n}`,
  principalIdentifier: "p",
  ipAddress: "198.51.100.1",
  versionNumber: n,
});

describe("fleetSummary", () => {
  it("diagnoses every device now (even one that changed this instant), counts devices per cause, lists devices by client ID", () => {
    const state = new FleetState(new ManualClock(T));
    for (const id of ["b", "c"]) state.apply({ kind: "lifecycle", clientId: id, event: connectedEvent(facts(id, 1), T), receivedAt: T });
    for (let n = 1; n <= 3; n++) state.apply({ kind: "lifecycle", clientId: "a", event: connectFailedEvent(facts("a", n), T + n), receivedAt: T });
    expect(fleetSummary(state)).toEqual({
      devices_by_cause: { healthy: 2, auth_or_policy: 1 },
      devices: [
        { client_id: "a", cause: "auth_or_policy" },
        { client_id: "b", cause: "healthy" },
        { client_id: "c", cause: "healthy" },
      ],
    });
  });
});
