import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetRoutes } from "../../src/http/fleet-plugin.js";
import { CauseHistory } from "../../src/http/routes/cause-history.js";
import { fleetStatusSection } from "../../src/http/routes/fleet-status.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { launchChromium } from "../helpers/chromium.js";
import { FLEET_T0, fleetWith } from "../helpers/fleet-fixture.js";

let t: TestApp;
let browser: Browser;
let url: string;
beforeAll(async () => {
  // A fleet-only process (no watched connection), as `fleet` serves it: the fleet's routes and its section of `/`.
  const { state, clock } = fleetWith([
    { id: "throttled-1", drops: 4 },
    { id: "throttled-2", drops: 2 },
    { id: "ttl/1", drops: 3, reason: "WEBSOCKET_TTL_EXPIRATION", connected: false },
    { id: "quiet-1", drops: 0 },
  ]);
  const history = new CauseHistory(10, 60_000);
  history.sample(FLEET_T0, new Map([["healthy", 4]]));
  history.sample(
    FLEET_T0 + 60_000,
    new Map([
      ["healthy", 2],
      ["server_throttling", 2],
    ]),
  );
  history.sample(FLEET_T0 + 120_000, state.devicesByCause);
  t = await startTestApp([], {
    plugins: [async (app) => void (await app.register(fleetRoutes, { state, clock, history }))],
    statusSections: [() => fleetStatusSection(state)],
  });
  url = await t.app.listen({ port: 0, host: "127.0.0.1" });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe("the fleet's pages in headless Chromium, without JavaScript", () => {
  it("the status page shows the fleet; a device's link opens its page; /fleet draws causes over time", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    const fleet = page.locator("section#fleet");
    expect(await fleet.locator("p").first().textContent()).toMatch(/^4 devices known, 3 connected now\./);
    expect(await fleet.locator("table.causes tbody tr").allTextContents()).toEqual(["server_throttling2", "aws_connection_ttl1", "healthy1"]);
    expect(await fleet.locator("table.devices tbody tr td:first-child").allTextContents()).toEqual(["throttled-1", "ttl/1", "throttled-2"]);
    expect(await page.locator("body > p").last().textContent()).toBe("No watched connection: this process reads the fleet above.");

    // What a person clicks: the device's link opens a page (the browser asks for HTML), not JSON.
    await fleet.locator("table.devices a", { hasText: "ttl/1" }).click();
    await page.waitForURL(/\/fleet\/devices\/ttl%2F1$/);
    expect(await page.title()).toBe("ttl/1: mqtt-diagnostics-exporter fleet");
    expect(await page.locator("strong.cause").textContent()).toBe("aws_connection_ttl");
    expect(await page.locator("h1 span").textContent()).toBe("disconnected");
    expect(await page.locator("svg.timeline line.drop").count()).toBe(3);
    expect(await page.locator("table.drops tbody tr").count()).toBe(3);
    // Its JSON is one link away, for scripts.
    const json = (await (await context.request.get(`${url}${await page.locator("a.json").getAttribute("href")}`)).json()) as { fleet: { cause: string } };
    expect(json.fleet.cause).toBe("aws_connection_ttl");

    // A cause on the status page opens the list of its devices, each linked to its page.
    await page.goto(`${url}/`);
    await fleet.locator("table.causes a", { hasText: "server_throttling" }).click();
    await page.waitForURL(/\/fleet\/devices\?cause=server_throttling$/);
    expect(await page.locator("h1").textContent()).toBe("Devices whose first cause is server_throttling");
    expect(await page.locator("table.devices tbody tr td:first-child").allTextContents()).toEqual(["throttled-1", "throttled-2"]);

    await page.goto(`${url}/`);
    await fleet.locator("a", { hasText: "The fleet view" }).click();
    await page.waitForURL(/\/fleet$/);
    const chart = page.locator("svg.causes");
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.locator("polyline").evaluateAll((lines) => lines.map((l) => l.getAttribute("data-cause")))).toEqual([
      "healthy",
      "server_throttling",
      "aws_connection_ttl",
    ]);
    expect(await page.locator("ul.legend li").allTextContents()).toEqual(["healthy", "server_throttling", "aws_connection_ttl"]);
    await page.locator("a", { hasText: "throttled-2" }).first().click();
    await page.waitForURL(/\/fleet\/devices\/throttled-2$/);
    expect(await page.locator("strong.cause").textContent()).toBe("server_throttling");
    await context.close();
  });
});
