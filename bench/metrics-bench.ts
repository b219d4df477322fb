/**
 * `/metrics` throughput and latency of the OTel-based app against an equivalent prom-client
 * server in the same run, at 20 and 200 error names, idle and with events at 10k/s; plus the
 * cost of recording an event with the instruments attached. `npm run bench:metrics`.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createRequire } from "node:module";
import Fastify from "fastify";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { ManualClock } from "../src/collector/clock.js";
import { CollectorRegistry } from "../src/collector/registry.js";
import { buildApp } from "../src/http/app.js";
import { SESSION_DURATION_BUCKETS, TIME_TO_RECONNECT_BUCKETS } from "../src/metrics/buckets.js";
import { createTelemetry } from "../src/metrics/telemetry.js";

const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
const DURATION_S = Number(process.env["BENCH_SECONDS"] ?? 5);
const silent = { warn: () => undefined, error: () => undefined };
const errorName = (i: number) => `AWS_ERROR_SYNTHETIC_${i}`;

interface Load {
  rps: number;
  p99: number;
}

// autocannon runs as a child process: in this one it would share the event loop with the servers.
async function cannon(url: string): Promise<Load> {
  const { stdout: out } = await promisify(execFile)(process.execPath, [AUTOCANNON, "-c", "10", "-d", String(DURATION_S), "-j", url], { encoding: "utf8", maxBuffer: 1 << 26 });
  const r = JSON.parse(out) as { requests: { average: number }; latency: { p99: number }; errors: number; non2xx: number };
  if (r.errors > 0 || r.non2xx > 0) throw new Error(`${url}: ${r.errors} errors, ${r.non2xx} non-2xx`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

async function oursServer(names: number) {
  const registry = new CollectorRegistry({ logger: silent });
  const telemetry = createTelemetry({ registry });
  const c = registry.getOrCreate("heater-1");
  for (let i = 0; i < names; i++) {
    c.recordConnectionSuccess();
    c.recordConnectionDrop({ error: { error_name: errorName(i), error_code: i, message: "m" } });
  }
  const app = await buildApp({ registry, telemetry, logger: false });
  const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/metrics`;
  let i = 0;
  const event = () => c.recordConnectionDrop({ error: { error_name: errorName(i++ % names), error_code: 1, message: "m" } });
  return { url, event, close: async () => (await app.close(), await telemetry.shutdown()) };
}

async function promClientServer(names: number) {
  const reg = new Registry();
  const labels = { connection: "heater-1" };
  const drops = new Counter({ name: "mqtt_client_connection_drops_total", help: "drops", labelNames: ["connection", "error_name"], registers: [reg] });
  const conns = new Counter({ name: "mqtt_client_connections_total", help: "connections", labelNames: ["connection", "event_type"], registers: [reg] });
  const simple = ["mqtt_client_connection_attempts_total", "mqtt_client_reconnect_attempts_total", "mqtt_client_messages_published_total", "mqtt_client_messages_queued_total", "mqtt_client_probe_timeouts_total"].map(
    (name) => new Counter({ name, help: name, labelNames: ["connection"], registers: [reg] }),
  );
  const gauges = ["mqtt_client_connected", "mqtt_client_session_uptime_seconds", "mqtt_client_last_drop_timestamp_seconds", "mqtt_client_negotiated_keep_alive_seconds", "mqtt_client_queued_operations", "mqtt_client_unacked_operations"].map(
    (name) => new Gauge({ name, help: name, labelNames: ["connection"], registers: [reg] }),
  );
  const session = new Histogram({ name: "mqtt_client_session_duration_seconds", help: "s", labelNames: ["connection"], buckets: SESSION_DURATION_BUCKETS, registers: [reg] });
  const ttr = new Histogram({ name: "mqtt_client_time_to_reconnect_seconds", help: "s", labelNames: ["connection"], buckets: TIME_TO_RECONNECT_BUCKETS, registers: [reg] });
  for (const c of simple) c.inc(labels, 0);
  for (const g of gauges) g.set(labels, 0);
  for (const t of ["connected", "resumed", "deep_reconnected"]) conns.inc({ ...labels, event_type: t }, 0);
  for (let i = 0; i < names; i++) {
    drops.inc({ ...labels, error_name: errorName(i) });
    session.observe(labels, 300);
  }
  ttr.observe(labels, 1);
  const app = Fastify();
  app.get("/metrics", async (_req, reply) => reply.type(reg.contentType).send(await reg.metrics()));
  const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/metrics`;
  let i = 0;
  const event = () => {
    drops.inc({ ...labels, error_name: errorName(i++ % names) });
    session.observe(labels, 300);
  };
  return { url, event, close: () => app.close() };
}

/** Runs `event` 100 times every 10 ms (10k/s) while `fn` runs. */
async function withEvents<T>(event: () => void, fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    for (let i = 0; i < 100; i++) event();
  }, 10);
  try {
    // Let the interval start before the load does.
    await new Promise((r) => setTimeout(r, 50));
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

function recordCost(): { ours: number; prom: number } {
  const clock = new ManualClock(1_700_000_000_000);
  const registry = new CollectorRegistry({ clock, logger: silent });
  const telemetry = createTelemetry({ registry });
  const c = registry.getOrCreate("heater-1");
  const err = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" };
  const N = 200_000;
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    clock.advance(1000);
    c.recordConnectionSuccess({ eventType: "resumed" });
    clock.advance(300_000);
    c.recordConnectionDrop({ error: err });
  }
  const ours = Number(process.hrtime.bigint() - t0) / (2 * N);
  void telemetry.shutdown();
  const reg = new Registry();
  const conns = new Counter({ name: "c_total", help: "c", labelNames: ["connection", "event_type"], registers: [reg] });
  const drops = new Counter({ name: "d_total", help: "d", labelNames: ["connection", "error_name"], registers: [reg] });
  const session = new Histogram({ name: "s", help: "s", labelNames: ["connection"], buckets: SESSION_DURATION_BUCKETS, registers: [reg] });
  const ttr = new Histogram({ name: "t", help: "t", labelNames: ["connection"], buckets: TIME_TO_RECONNECT_BUCKETS, registers: [reg] });
  t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    conns.inc({ connection: "heater-1", event_type: "resumed" });
    ttr.observe({ connection: "heater-1" }, 1);
    drops.inc({ connection: "heater-1", error_name: err.error_name });
    session.observe({ connection: "heater-1" }, 300);
  }
  const prom = Number(process.hrtime.bigint() - t0) / (2 * N);
  return { ours, prom };
}

async function main(): Promise<void> {
  const cost = recordCost();
  process.stdout.write(`recording one event with instruments attached: ${cost.ours.toFixed(0)} ns (prom-client counter+histogram: ${cost.prom.toFixed(0)} ns; target < 2000 ns)\n\n`);
  const rows = ["| error names | events | ours req/s | prom-client req/s | ratio | ours p99 ms | prom-client p99 ms |", "|---|---|---|---|---|---|---|"];
  for (const names of [20, 200]) {
    for (const events of [false, true]) {
      const ours = await oursServer(names);
      const prom = await promClientServer(names);
      const run = (s: { url: string; event: () => void }) => (events ? withEvents(s.event, () => cannon(s.url)) : cannon(s.url));
      const a = await run(ours);
      const b = await run(prom);
      rows.push(`| ${names} | ${events ? "10k/s" : "idle"} | ${a.rps.toFixed(0)} | ${b.rps.toFixed(0)} | ${(a.rps / b.rps).toFixed(2)} | ${a.p99} | ${b.p99} |`);
      await ours.close();
      await prom.close();
    }
  }
  process.stdout.write(`${rows.join("\n")}\n`);
}

await main();
