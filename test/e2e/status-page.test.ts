/// <reference lib="dom" />
// The pixel check runs inside the browser page, hence the DOM types.
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiagnoser } from "../../src/diagnosis/diagnoser.js";
import { hangup, startTestApp, type TestApp } from "../helpers/app.js";
import { requireTool } from "../helpers/require-tool.js";

let t: TestApp;
let browser: Browser;
let url: string;
beforeAll(async () => {
  t = await startTestApp(["heater-1", "idle-2"], (registry) => ({ diagnoser: createDiagnoser(registry) }));
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
  browser = await chromium.launch({
    executablePath: requireTool("chromium"),
    args: ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

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
    const png = await page.screenshot({ clip: box ?? undefined });
    const viewer = await browser.newPage();
    const counts = await viewer.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d");
      if (!ctx) return { green: 0, red: 0 };
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      let green = 0;
      let red = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
        if (g > 120 && r < 100 && b < 110) green++;
        if (r > 180 && g < 90 && b < 90) red++;
      }
      return { green, red };
    }, png.toString("base64"));
    await viewer.close();
    expect(counts.green).toBeGreaterThan(500);
    expect(counts.red).toBeGreaterThan(20);
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
