import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../../src/clock.js";
import { connectedEvent, disconnectedEvent } from "../../../../src/emulator/lifecycle-events.js";
import { FleetState } from "../../../../src/fleet/fleet-state.js";
import { CauseHistory } from "../../../../src/http/routes/cause-history.js";
import { FLEET_PAGE_TOP, fleetPageHtml, TOP_PER_CAUSE } from "../../../../src/http/routes/fleet-page.js";
import { fleetWith } from "../../../helpers/fleet-fixture.js";

const T = 1_780_000_000_000;
const facts = (id: string, n: number) => ({
  clientId: id,
  sessionIdentifier: `${id}-${n}`,
  principalIdentifier: "p",
  ipAddress: "198.51.100.1",
  versionNumber: n,
});

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

  it("draws causes over time from the samples, and says what it shows before the second", () => {
    const { state } = fleetWith([{ id: "t-1", drops: 2 }]);
    const history = new CauseHistory(10, 60_000);
    expect(fleetPageHtml(state)).toContain("Not recorded by this process: <code>mqtt_fleet_devices{cause}</code> in Prometheus has the history.");
    history.sample(T, new Map([["healthy", 1]]));
    expect(fleetPageHtml(state, history)).toContain("sampled every 60 seconds by this replica since it started: the chart appears after the second sample");
    history.sample(T + 60_000, state.devicesByCause);
    const html = fleetPageHtml(state, history);
    expect(html).toContain('<svg class="causes"');
    expect(html.match(/<polyline /g)).toHaveLength(2);
    expect(html).toContain("the last 2 samples; 10 samples at most");
  });

  it(`lists at most ${FLEET_PAGE_TOP} devices overall and ${TOP_PER_CAUSE} per cause`, () => {
    const { state } = fleetWith(Array.from({ length: 30 }, (_, i) => ({ id: `t-${String(i).padStart(2, "0")}`, drops: 1 + (i % 3) })));
    const html = fleetPageHtml(state);
    const [overall, perCause] = html.split("<h2>Most drops, by cause</h2>");
    expect(overall?.match(/href="\/fleet\/devices\/t-/g)).toHaveLength(FLEET_PAGE_TOP);
    expect(perCause?.match(/href="\/fleet\/devices\/t-/g)).toHaveLength(TOP_PER_CAUSE);
  });
});
