import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../../src/clock.js";
import { connectedEvent } from "../../../../src/emulator/lifecycle-events.js";
import { FleetState } from "../../../../src/fleet/fleet-state.js";
import { causeTable, deviceTable, fleetStatusSection, STATUS_TOP_DEVICES } from "../../../../src/http/routes/fleet-status.js";
import { FLEET_T0, fleetWith, playDevice } from "../../../helpers/fleet-fixture.js";

describe("the status page's fleet section", () => {
  it("shows devices known and connected, devices by first cause, the devices with most drops linked to their detail, and a link to /fleet", () => {
    const { state } = fleetWith([
      { id: "t-1", drops: 3 },
      { id: "<b>", drops: 1, connected: false },
      { id: "ok", drops: 0 },
    ]);
    const html = fleetStatusSection(state);
    expect(html).toContain('<section id="fleet"><h2>Fleet</h2>');
    expect(html).toContain("3 devices known, 2 connected now.");
    expect(html).toContain('<a href="/fleet">The fleet view</a>');
    expect(html).toContain('<a href="/fleet/devices?cause=server_throttling">server_throttling</a></td><td>2</td>');
    expect(html).toContain('<tr><td><a href="/fleet/devices/t-1">t-1</a></td><td>server_throttling</td><td>3</td><td class="up">connected</td></tr>');
    expect(html).toContain('<a href="/fleet/devices/%3Cb%3E">&#60;b&#62;</a>');
    expect(html).not.toContain("<b>");
  });

  it("says so before any device is diagnosed or has dropped", () => {
    const state = new FleetState(new ManualClock(FLEET_T0));
    playDevice(state, { id: "new", drops: 0 });
    const html = fleetStatusSection(state);
    expect(html).toContain("1 device known, 1 connected now; 1 device not diagnosed yet.");
    expect(html).toContain("no device diagnosed yet");
    expect(html).toContain("No device has dropped yet.");
  });

  it(`stays small at 100,000 devices: the causes and ${STATUS_TOP_DEVICES} devices, whatever the fleet's size`, () => {
    const state = new FleetState(new ManualClock(FLEET_T0));
    for (let i = 0; i < 100_000; i++)
      state.apply({
        kind: "lifecycle",
        clientId: `d-${i}`,
        event: connectedEvent(
          { clientId: `d-${i}`, sessionIdentifier: `s-${i}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: 1 },
          FLEET_T0,
        ),
        receivedAt: FLEET_T0,
      });
    for (let i = 0; i < 50; i++) playDevice(state, { id: `drop-${i}`, drops: 1 + (i % 4) });
    const html = fleetStatusSection(state);
    expect(html).toContain("100050 devices known");
    expect(html.match(/<a href="\/fleet\/devices\//g)).toHaveLength(STATUS_TOP_DEVICES);
    expect(html.length).toBeLessThan(4000);
  });

  it("tables: a device row without a cause says so; an empty cause table says so", () => {
    expect(deviceTable([{ client_id: "x", cause: null, drops: 1, connected: false }], true)).toContain("<td>not diagnosed yet</td>");
    expect(causeTable([])).toContain("no device diagnosed yet");
  });
});
