import { describe, expect, it } from "vitest";
import { devicePage } from "../../../../src/fleet/device-list.js";
import { deviceListHtml } from "../../../../src/http/routes/device-list-page.js";
import { fleetWith } from "../../../helpers/fleet-fixture.js";

describe("a page of /fleet/devices as HTML", () => {
  const { state } = fleetWith([
    { id: "t-1", drops: 3 },
    { id: "t-2", drops: 2 },
    { id: "t<3>", drops: 1 },
    { id: "ok", drops: 0 },
  ]);

  it("lists the devices each linked to its page, with a link to the next page carrying the query on, and one to the JSON", () => {
    const q = { cause: "server_throttling", sort: "drops" as const, limit: 2 };
    const page = devicePage(state, q);
    const html = deviceListHtml(page, q);
    expect(html).toContain("<h1>Devices whose first cause is server_throttling</h1>");
    expect(html).toContain("<p>3 devices, most drops first; 2 on this page.</p>");
    expect(html.match(/href="\/fleet\/devices\/t-[12]"/g)).toHaveLength(2);
    expect(html).not.toContain("<th>first cause</th>");
    expect(html).toContain(
      `<a class="next" href="/fleet/devices?cause=server_throttling&#38;sort=drops&#38;limit=2&#38;cursor=${page.next_cursor ?? ""}">Next 2</a>`,
    );
    expect(html).toContain('<a class="json" href="/fleet/devices?cause=server_throttling&#38;sort=drops&#38;limit=2&#38;format=json">JSON</a>');
    const last = deviceListHtml(devicePage(state, { ...q, cursor: page.next_cursor ?? "" }), { ...q, cursor: page.next_cursor ?? "" });
    expect(last).toContain('<a href="/fleet/devices/t%3C3%3E">t&#60;3&#62;</a>');
    expect(last).not.toContain('class="next"');
    expect(last).toContain("format=json&#38;cursor=");
  });

  it("all devices: with their cause, by client ID when asked", () => {
    const q = { sort: "client_id" as const, limit: 100 };
    const html = deviceListHtml(devicePage(state, q), q);
    expect(html).toContain("<h1>All devices</h1>");
    expect(html).toContain("<p>4 devices, by client ID; 4 on this page.</p>");
    expect(html).toContain("<th>first cause</th>");
  });
});
