/**
 * One process watching 1, 10 and 100 connections to a local Mosquitto (plain TCP, through the
 * fault proxy): RSS and CPU per connection idle and while faults happen, and the time from a
 * proxy cut to the drop appearing in /metrics. `npm run bench:connections`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { FaultProxy } from "../test/helpers/fault-proxy.js";
import { startService } from "../src/service/start-service.js";
import type { ConnectionConfig } from "../src/config/schema.js";
import { BenchBroker } from "./restarts/broker.js";
import { benchResults } from "./results.js";

const PHASE_MS = Number(process.env["BENCH_PHASE_MS"] ?? 5000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const results = benchResults("connections", { "phase (ms)": PHASE_MS, broker: "Mosquitto on loopback through the fault proxy, MQTT 5, plain TCP" });

async function until(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(5);
  }
}

function cpuPercent(fromUsage: NodeJS.CpuUsage, fromMs: number): number {
  const u = process.cpuUsage(fromUsage);
  return ((u.user + u.system) / 1000 / (Date.now() - fromMs)) * 100;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mde-conn-bench-"));
  const broker = await BenchBroker.start(dir);
  const proxy = new FaultProxy("127.0.0.1", broker.port);
  await proxy.listen();
  const rows = [
    "| connections | RSS MB (total) | RSS KB per connection | CPU % idle | CPU % during faults | cut → drop in /metrics (median ms) |",
    "|---|---|---|---|---|---|",
  ];
  for (const n of [1, 10, 100]) {
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const connections: ConnectionConfig[] = Array.from({ length: n }, (_, i) => ({
      name: `c${i}`,
      endpoint: "127.0.0.1",
      transport: "mtls",
      port: proxy.port,
      client_id: `bench-${n}-${i}`,
      protocol: "mqtt5",
      keep_alive_seconds: 60,
      ping_timeout_ms: 5000,
      reconnect: { min_delay_ms: 100, max_delay_ms: 1000, jitter: "none" },
    }));
    const service = await startService(
      { connections, journal: { path: join(dir, `j${n}.jsonl`), max_bytes: 1 << 24, retain_files: 1 }, max_events_retained: 1000 },
      { logger: pino({ level: "silent" }), listen: { host: "127.0.0.1", port: 0 } },
    );
    await until(() => service.registry.all().every((c) => c.isConnected));
    await sleep(500);
    globalThis.gc?.();
    const rss = process.memoryUsage().rss;
    let t = Date.now();
    let u = process.cpuUsage();
    await sleep(PHASE_MS);
    const idle = cpuPercent(u, t);
    // Faults: cut everything, wait for everyone to be back, again, for the phase.
    const latencies: number[] = [];
    t = Date.now();
    u = process.cpuUsage();
    while (Date.now() - t < PHASE_MS) {
      const before = service.registry.get("c0")?.totals.total_connection_drops ?? 0;
      const cutAt = performance.now();
      proxy.cut();
      await until(async () => {
        const body = await (await fetch(`${service.address}/metrics`)).text();
        const m = /mqtt_client_reconnect_attempts_total\{connection="c0"\} (\d+)/.exec(body);
        return Number(m?.[1] ?? 0) > before;
      });
      latencies.push(performance.now() - cutAt);
      await until(() => service.registry.all().every((c) => c.isConnected));
    }
    const faults = cpuPercent(u, t);
    latencies.sort((a, b) => a - b);
    await service.close();
    const per = { connections: n };
    results.figure({ id: `rss-per-connection@${n}`, what: "RSS per connection", value: (rss - rssBefore) / 1024 / n, unit: "KB", conditions: per });
    results.figure({ id: `cpu-idle@${n}`, what: "CPU idle", value: idle, unit: "%", conditions: per });
    results.figure({ id: `cpu-faults@${n}`, what: "CPU during faults", value: faults, unit: "%", conditions: per });
    results.figure({
      id: `cut-to-metrics@${n}`,
      what: "proxy cut to the drop in /metrics, median",
      value: latencies[latencies.length >> 1] ?? NaN,
      unit: "ms",
      conditions: { ...per, cuts: latencies.length },
    });
    rows.push(
      `| ${n} | ${(rss / 2 ** 20).toFixed(0)} | ${((rss - rssBefore) / 1024 / n).toFixed(0)} | ${idle.toFixed(1)} | ${faults.toFixed(1)} | ${(latencies[latencies.length >> 1] ?? NaN).toFixed(1)} (${latencies.length} cuts) |`,
    );
  }
  await proxy.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${results.table("connections", rows)}\n`);
  process.exit(0);
}

await main();
