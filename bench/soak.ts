/**
 * A longer soak than the test suite's chaos test: random faults against Mosquitto through the
 * fault proxy, synthetic events on a second connection at ~10k/s, and concurrent scrapes of
 * /metrics and /diagnostics.json, for SOAK_SECONDS (default 120). `npm run bench:soak`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { FaultProxy, mqtt5DisconnectPacket } from "../test/helpers/fault-proxy.js";
import { startService } from "../src/service/start-service.js";
import { BenchBroker } from "./restarts/broker.js";
import { benchResults } from "./results.js";

const SECONDS = Number(process.env["SOAK_SECONDS"] ?? 120);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const results = benchResults("soak", { seconds: SECONDS, "synthetic events": "~10k/s", scrapers: 4 });

async function until(check: () => boolean, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(5);
  }
  return true;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mde-soak-"));
  const broker = await BenchBroker.start(dir);
  const proxy = new FaultProxy("127.0.0.1", broker.port);
  await proxy.listen();
  const service = await startService(
    {
      connections: [
        {
          name: "soak",
          endpoint: "127.0.0.1",
          port: proxy.port,
          client_id: "soak-1",
          protocol: "mqtt5",
          transport: "mtls",
          keep_alive_seconds: 2,
          ping_timeout_ms: 500,
          reconnect: { min_delay_ms: 20, max_delay_ms: 200, jitter: "none" },
        },
      ],
      journal: { path: join(dir, "journal.jsonl"), max_bytes: 4 << 20, retain_files: 3 },
      max_events_retained: 1000,
    },
    { logger: pino({ level: "silent" }), listen: { host: "127.0.0.1", port: 0 } },
  );
  const c = service.registry.getOrCreate("soak");
  const synthetic = service.registry.getOrCreate("synthetic");
  await until(() => c.isConnected);
  globalThis.gc?.();
  const { rss: rssStart, heapUsed: heapStart } = process.memoryUsage();
  let events = 0;
  const ticker = setInterval(() => {
    for (let i = 0; i < 100; i++, events++) {
      if (events % 2) synthetic.recordConnectionSuccess({ eventType: "resumed" });
      else synthetic.recordConnectionDrop({ error: { error_name: `AWS_ERROR_SYNTHETIC_${events % 30}`, error_code: 1, message: "m" } });
    }
  }, 10);
  let scrapes = 0;
  let errors = 0;
  let running = true;
  const scrapers = Array.from({ length: 4 }, async () => {
    while (running) {
      try {
        const r = await fetch(`${service.address}/${scrapes % 2 ? "metrics" : "diagnostics.json"}`);
        await r.text();
        if (r.status !== 200) errors++;
      } catch {
        errors++;
      }
      scrapes++;
    }
  });
  let faults = 0;
  let unaccounted = 0;
  const end = Date.now() + SECONDS * 1000;
  while (Date.now() < end) {
    const before = c.totals.total_connection_drops;
    if (faults % 3 === 2) proxy.injectToClients(mqtt5DisconnectPacket(0x8e));
    else proxy.cut();
    faults++;
    if (!(await until(() => c.totals.total_connection_drops === before + 1 && c.isConnected))) unaccounted++;
  }
  running = false;
  clearInterval(ticker);
  await Promise.all(scrapers);
  globalThis.gc?.();
  const { rss: rssEnd, heapUsed: heapEnd } = process.memoryUsage();
  await service.close();
  await proxy.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
  results.figure({
    id: "faults-unaccounted",
    what: "faults without their drop and reconnection",
    value: unaccounted,
    unit: "faults",
    anchor: { what: "faults injected", value: faults, unit: "faults" },
  });
  results.figure({ id: "scrape-errors", what: "scrape errors", value: errors, unit: "scrapes", anchor: { what: "scrapes", value: scrapes, unit: "scrapes" } });
  results.figure({
    id: "rss-end",
    what: "RSS at the end, after a GC",
    value: rssEnd / 2 ** 20,
    unit: "MB",
    anchor: { what: "at the start", value: rssStart / 2 ** 20, unit: "MB" },
  });
  results.figure({
    id: "heap-used-end",
    what: "heap used at the end, after a GC",
    value: heapEnd / 2 ** 20,
    unit: "MB",
    anchor: { what: "at the start", value: heapStart / 2 ** 20, unit: "MB" },
  });
  const table =
    `| soak seconds | faults injected | faults unaccounted | drops recorded | synthetic events | scrapes | scrape errors | RSS start MB | RSS end MB | heap start MB | heap end MB |\n|---|---|---|---|---|---|---|---|---|---|---|\n` +
    `| ${SECONDS} | ${faults} | ${unaccounted} | ${c.totals.total_connection_drops} | ${events} | ${scrapes} | ${errors} | ${(rssStart / 2 ** 20).toFixed(0)} | ${(rssEnd / 2 ** 20).toFixed(0)} | ${(heapStart / 2 ** 20).toFixed(0)} | ${(heapEnd / 2 ** 20).toFixed(0)} |\n`;
  process.stdout.write(`${results.table("soak", table.trimEnd().split("\n"))}\n`);
  process.exit(0);
}

await main();
