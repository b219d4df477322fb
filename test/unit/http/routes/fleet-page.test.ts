import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../../src/clock.js";
import { connectedEvent, disconnectedEvent } from "../../../../src/emulator/lifecycle-events.js";
import { FleetState } from "../../../../src/fleet/fleet-state.js";
import { fleetPageHtml } from "../../../../src/http/routes/fleet-page.js";

const T = 1_780_000_000_000;
const facts = (id: string, n: number) => ({ clientId: id, sessionIdentifier: `${id}-${n}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: n });

describe("the fleet page", () => {
  it("shows devices by cause, each cause's devices with most drops linked to their detail, and AWS's reasons; client IDs escaped", () => {
    const state = new FleetState(new ManualClock(T));
    const odd = "<b>&x";
    for (const id of ["ok", odd]) state.apply({ kind: "lifecycle", clientId: id, event: connectedEvent(facts(id, 1), T), receivedAt: T });
    state.apply({ kind: "lifecycle", clientId: odd, event: disconnectedEvent(facts(odd, 1), T + 1, "THROTTLED"), receivedAt: T });
    state.refresh({ all: true });
    const html = fleetPageHtml(state);
    expect(html).toContain('<a href="/fleet/devices?cause=server_throttling">server_throttling</a></td><td>1</td>');
    expect(html).toContain('<a href="/fleet/devices/%3Cb%3E%26x">&#60;b&#62;&#38;x</a>');
    expect(html).toContain("<td>THROTTLED</td><td>1</td>");
    expect(html).toContain("2 devices, 1 connected now; 0 devices not diagnosed yet.");
    expect(html).not.toContain("<b>&x");
  });
});
