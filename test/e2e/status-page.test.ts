/// <reference lib="dom" />
// The pixel check runs inside the browser page, hence the DOM types.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiagnoser } from "../../src/diagnosis/diagnoser.js";
import { hangup, startTestApp, type TestApp } from "../helpers/app.js";
import { launchChromium } from "../helpers/chromium.js";

let t: TestApp;
let browser: Browser;
let url: string;
beforeAll(async () => {
  t = await startTestApp(["heater-1", "idle-2", "restarted-3"], (registry) => ({
    diagnoser: createDiagnoser(registry, new Map([["idle-2", { protocol: "mqtt311" }]])),
  }));
  // restarted-3: connected for 10 minutes, the service stopped for 40, then connected again.
  const r = t.registry.getOrCreate("restarted-3");
  r.recordConnectionSuccess({ eventType: "connected" });
  t.clock.advance(600_000);
  r.recordConnectionStopped("shutdown");
  t.clock.advance(2_400_000);
  r.recordConnectionSuccess({ eventType: "connected" });
  const c = t.registry.getOrCreate("heater-1");
  for (let i = 0; i < 5; i++) {
    c.recordConnectionSuccess({ eventType: i === 0 ? "connected" : "resumed", keepAliveSeconds: 300 });
    t.clock.advance(340_000);
    c.recordConnectionDrop({ error: hangup });
    t.clock.advance(2_000);
  }
  c.recordConnectionSuccess({ eventType: "resumed" });
  t.clock.advance(60_000);
  url = await t.app.listen({ port: 0, host: "127.0.0.1" });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Green and red pixels of each column of a PNG, counted in the browser (it decodes the PNG). */
async function pixelColumns(png: Buffer): Promise<{ green: number[]; red: number[] }> {
  const viewer = await browser.newPage();
  const counts = await viewer.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext("2d");
    const green = new Array<number>(img.width).fill(0);
    const red = new Array<number>(img.width).fill(0);
    if (!ctx) return { green, red };
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, img.width, img.height);
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
      const col = (i / 4) % img.width;
      if (g > 120 && r < 100 && b < 110) green[col] = (green[col] ?? 0) + 1;
      if (r > 180 && g < 90 && b < 90) red[col] = (red[col] ?? 0) + 1;
    }
    return { green, red };
  }, png.toString("base64"));
  await viewer.close();
  return counts;
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("status page in headless Chromium", () => {
  it("shows the verdict, a timeline of sessions and drops, and recent drops, without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.title()).toBe("mqtt-diagnostics-exporter");
    const section = page.locator("section#heater-1");
    expect(await section.locator(".findings > li > strong").first().textContent()).toBe("nat_idle_timeout");
    expect(await section.locator("svg.timeline rect.session").count()).toBe(6);
    expect(await section.locator("svg.timeline line.drop").count()).toBe(5);
    expect(await section.locator("tbody tr").count()).toBe(5);
    expect(await section.locator("tbody").textContent()).toContain("AWS_ERROR_MQTT_UNEXPECTED_HANGUP");
    expect(await page.locator("section#idle-2 .verdict").textContent()).toMatch(/Not enough data/);

    // Look at the pixels: the timeline must actually be drawn, green sessions and red drops.
    const box = await section.locator("svg.timeline").boundingBox();
    expect(box).not.toBeNull();
    const counts = await pixelColumns(await page.screenshot({ clip: box ?? undefined }));
    expect(sum(counts.green)).toBeGreaterThan(500);
    expect(sum(counts.red)).toBeGreaterThan(20);
    await context.close();
  });

  it("draws no green across the time the service was stopped", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 1400 } });
    const page = await context.newPage();
    await page.goto(url);
    const svg = page.locator("section#restarted-3 svg.timeline");
    const stopX = Number(await svg.locator("line.stop").getAttribute("x1"));
    const nextX = Number(await svg.locator("rect.session").nth(1).getAttribute("x"));
    // 40 of the 80 minutes drawn: about 380 px without a session.
    expect(nextX - stopX).toBeGreaterThan(300);
    const box = await svg.boundingBox();
    expect(box).not.toBeNull();
    const { green } = await pixelColumns(await page.screenshot({ clip: box ?? undefined }));
    expect(sum(green.slice(0, stopX - 2))).toBeGreaterThan(100);
    expect(sum(green.slice(stopX + 3, nextX - 2))).toBe(0);
    expect(sum(green.slice(nextX + 2))).toBeGreaterThan(100);
    await context.close();
  });

  it("says plainly what an MQTT 3.1.1 connection cannot show", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.locator("section#idle-2 .limits").textContent()).toMatch(/MQTT 3\.1\.1: aws-crt reports no event for a failed automatic reconnect/);
    expect(await page.locator("section#heater-1 .limits").count()).toBe(0);
    await context.close();
  });
});

describe("diagnosis endpoints", () => {
  it("GET /diagnosis.json names the cause; /diagnostics.json carries it too", async () => {
    const d = (await t.app.inject({ method: "GET", url: "/diagnosis.json?connection=heater-1" })).json<{ status: string; findings: { cause: string }[] }>();
    expect(d.status).toBe("findings");
    expect(d.findings[0]?.cause).toBe("nat_idle_timeout");
    const doc = (await t.app.inject({ method: "GET", url: "/diagnostics.json" })).json<{ diagnosis: { findings: { cause: string }[] } }>();
    expect(doc.diagnosis.findings[0]?.cause).toBe("nat_idle_timeout");
    expect((await t.app.inject({ method: "GET", url: "/diagnosis.json?connection=nope" })).statusCode).toBe(404);
    expect((await t.app.inject({ method: "GET", url: "/diagnosis.json?x=1" })).statusCode).toBe(400);
  });
});
