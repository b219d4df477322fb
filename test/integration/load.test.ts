import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { buildApp } from "../../src/http/app.js";
import { createTelemetry } from "../../src/metrics/telemetry.js";

// A real collection before each memory reading, so garbage is not mistaken for growth.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const registry = new CollectorRegistry({ logger: { warn: () => undefined, error: () => undefined } });
const telemetry = createTelemetry({ registry });
let closeApp: (() => Promise<void>) | undefined;
afterAll(async () => {
  await closeApp?.();
  await telemetry.shutdown();
});

describe("load: /metrics under concurrent scraping while events arrive at 10k/s", () => {
  it("answers every scrape, and memory stays flat", async () => {
    const app = await buildApp({ registry, telemetry, logger: false });
    closeApp = () => app.close();
    const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/metrics`;
    const c = registry.getOrCreate("load-1");
    let n = 0;
    const record = () => {
      for (let i = 0; i < 100; i++) {
        if (n % 2 === 0) c.recordConnectionSuccess({ eventType: "resumed" });
        else c.recordConnectionDrop({ error: { error_name: `AWS_ERROR_SYNTHETIC_${n % 20}`, error_code: 1, message: "m" } });
        n++;
      }
    };
    const events = setInterval(record, 10);
    gc();
    const start = process.memoryUsage();
    let ok = 0;
    let failed = 0;
    // Runs until the work is done (at least 5 s, 10,000 events and 100 scrapes), so a slow or busy
    // machine does the same work in more time instead of failing: no assertion depends on speed.
    const minUntil = Date.now() + 5000;
    const enough = () => Date.now() >= minUntil && n >= 10_000 && ok + failed >= 100;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (!enough()) {
          const r = await fetch(url);
          const body = await r.text();
          if (r.status === 200 && body.includes("mqtt_client_connection_drops_total")) ok++;
          else failed++;
        }
      }),
    );
    clearInterval(events);
    await new Promise((r) => setTimeout(r, 100));
    gc();
    const end = process.memoryUsage();
    // Reported for the README's figures; the assertion is on errors and growth, never on time.
    console.log(
      `load: ${ok} scrapes, ${failed} failed, ${n} events, RSS ${(start.rss / 2 ** 20).toFixed(0)} → ${(end.rss / 2 ** 20).toFixed(0)} MB, heap ${(start.heapUsed / 2 ** 20).toFixed(0)} → ${(end.heapUsed / 2 ** 20).toFixed(0)} MB`,
    );
    expect(failed).toBe(0);
    expect(ok).toBeGreaterThanOrEqual(100);
    expect(n).toBeGreaterThanOrEqual(10_000);
    expect(end.heapUsed - start.heapUsed).toBeLessThan(16 * 2 ** 20);
  }, 120_000);
});
