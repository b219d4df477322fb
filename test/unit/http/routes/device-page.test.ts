import { describe, expect, it } from "vitest";
import { deviceDetail } from "../../../../src/fleet/device-view.js";
import { devicePageHtml } from "../../../../src/http/routes/device-page.js";
import { fleetWith } from "../../../helpers/fleet-fixture.js";

describe("a device's page", () => {
  it("shows its first cause and the diagnosis behind it, a timeline, its drops with AWS's reason, and links to its JSON and its cause's devices", () => {
    const { state, clock } = fleetWith([{ id: "heater <1>", drops: 3 }]);
    const device = state.device("heater <1>");
    if (device === undefined) throw new Error("no device");
    const html = devicePageHtml(deviceDetail(device, clock.now(), 50), clock.now());
    expect(html).toContain("<title>heater &#60;1&#62;: mqtt-diagnostics-exporter fleet</title>");
    expect(html).toContain('<h1>heater &#60;1&#62; <span class="up">connected</span></h1>');
    expect(html).toContain('First cause: <strong class="cause">server_throttling</strong>. 3 drops; transport unknown; ships no evidence');
    expect(html).toContain("<li><strong>server_throttling</strong> (confidence");
    expect(html).toContain('<rect class="session"');
    expect(html.match(/<line class="drop"/g)).toHaveLength(3);
    expect(html.match(/<td>THROTTLED<\/td><\/tr>/g)).toHaveLength(3);
    expect(html).toContain("<tr><td>THROTTLED</td><td>3</td></tr>");
    expect(html).toContain('href="/fleet/devices/heater%20%3C1%3E?format=json"');
    expect(html).toContain('href="/fleet/devices?cause=server_throttling"');
    expect(html).not.toContain("heater <1>");
  });
});
