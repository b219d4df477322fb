/**
 * `/metrics` against prom-client doing the same work: the same series (both read the same
 * collectors, same label cap, same histograms), the same caching policy, the same bare Fastify
 * route; interleaved runs, BENCH_REPS repetitions, medians; at 1, 10, 100 and 1,000
 * connections, idle and with 10k events/s. Then the event-loop stall of one scrape at 1,000
 * connections when every connection changed (a cache miss), and the cost of recording an event.
 * `npm run bench:metrics`; smoke: `BENCH_SECONDS=1 BENCH_REPS=1 BENCH_CONNECTIONS=1,10 BENCH_STALL_CONNECTIONS=50`.
 */
import { Counter, Histogram, Registry } from "prom-client";
import { ManualClock } from "../src/collector/clock.js";
import { CollectorRegistry } from "../src/collector/registry.js";
import { SESSION_DURATION_BUCKETS, TIME_TO_RECONNECT_BUCKETS } from "../src/metrics/buckets.js";
import { createTelemetry } from "../src/metrics/telemetry.js";
import { cannon, longestStall, median, sameCachePolicy, serve, withEvents, type Load } from "./metrics/harness.js";
import { promClientMirror } from "./metrics/prom-client-mirror.js";
import { FIGURE } from "./figure-ids.js";
import { benchResults } from "./results.js";

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const SECONDS = Number(env("BENCH_SECONDS", "5"));
const REPS = Number(env("BENCH_REPS", "3"));
const CONNECTIONS = env("BENCH_CONNECTIONS", "1,10,100,1000").split(",").map(Number);
const STALL_CONNECTIONS = Number(env("BENCH_STALL_CONNECTIONS", "1000"));
const ERROR_NAMES = Number(env("BENCH_ERROR_NAMES", "5"));
const MAX_AGE_MS = 1000;
const silent = { warn: () => undefined, error: () => undefined };
const errorOf = (i: number) => ({ error_name: `AWS_ERROR_SYNTHETIC_${i % ERROR_NAMES}`, error_code: i, message: "m" });
const samples = (text: string) => text.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length;
const results = benchResults("metrics", {
  "seconds per cell": SECONDS,
  repetitions: REPS,
  connections: CONNECTIONS,
  "stall at connections": STALL_CONNECTIONS,
  "error names per connection": ERROR_NAMES,
  "cache max age (ms)": MAX_AGE_MS,
  "load generator": "autocannon -c 10 in a child process",
  "diagnosis gauge": "none on either side",
  gzip: "no",
});

async function setup(connections: number) {
  const registry = new CollectorRegistry({ logger: silent, maxEventsRetained: 100 });
  const telemetry = createTelemetry({ registry, maxConnections: connections, cacheMaxAgeMs: MAX_AGE_MS });
  const mirror = promClientMirror(registry);
  for (let i = 0; i < connections; i++) {
    const c = registry.getOrCreate(`device-${i}`);
    c.recordConnectionAttempt();
    c.recordConnectionSuccess();
    for (let e = 0; e < ERROR_NAMES; e++) {
      c.recordConnectionDrop({ error: errorOf(e) });
      c.recordConnectionSuccess({ eventType: "resumed" });
    }
  }
  const [ours, theirs] = [samples((await telemetry.render()).body), samples(await mirror.reg.metrics())];
  if (ours !== theirs) throw new Error(`not the same series: ours ${ours}, prom-client ${theirs}`);
  const all = registry.all();
  let k = 0;
  // Round robin over the connections: a drop, then the success that ends it.
  const event = () => {
    const c = all[Math.floor(k / 2) % all.length];
    if (c !== undefined) {
      if (k % 2 === 0) c.recordConnectionDrop({ error: errorOf(k) });
      else c.recordConnectionSuccess({ eventType: "resumed" });
    }
    k++;
  };
  return { registry, telemetry, mirror, event, series: ours, close: async () => (mirror.close(), await telemetry.shutdown()) };
}

async function throughputRows(): Promise<string[]> {
  const rows = [
    "| connections | series | events | ours req/s | prom-client req/s | ratio | ours p99 ms | prom-client p99 ms |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const n of CONNECTIONS) {
    const s = await setup(n);
    const ours = await serve(async () => (await s.telemetry.exposition()).body);
    const prom = await serve(sameCachePolicy(() => s.mirror.reg.metrics(), () => s.registry.version, MAX_AGE_MS));
    for (const events of [false, true]) {
      const a: Load[] = [];
      const b: Load[] = [];
      for (let rep = 0; rep < REPS; rep++) {
        const run = (url: string) => (events ? withEvents(s.event, () => cannon(url, SECONDS)) : cannon(url, SECONDS));
        // Interleaved, the order alternating between repetitions.
        const first = rep % 2 === 0 ? "ours" : "prom";
        for (const side of first === "ours" ? ["ours", "prom"] : ["prom", "ours"]) {
          if (side === "ours") a.push(await run(ours.url));
          else b.push(await run(prom.url));
        }
      }
      const [ra, rb] = [median(a.map((l) => l.rps)), median(b.map((l) => l.rps))];
      const cell = { connections: n, series: s.series, events: events ? "10k/s" : "idle" };
      results.figure({ id: FIGURE.rps(n, events), what: "/metrics req/s", value: ra, unit: "req/s", anchor: { what: "prom-client, same cache", value: rb, unit: "req/s" }, ratio: ra / rb, ratioOf: "ours / prom-client", conditions: cell });
      results.figure({ id: FIGURE.p99(n, events), what: "/metrics p99", value: median(a.map((l) => l.p99)), unit: "ms", anchor: { what: "prom-client, same cache", value: median(b.map((l) => l.p99)), unit: "ms" }, conditions: cell });
      rows.push(`| ${n} | ${s.series} | ${events ? "10k/s" : "idle"} | ${ra.toFixed(0)} | ${rb.toFixed(0)} | ${(ra / rb).toFixed(2)} | ${median(a.map((l) => l.p99))} | ${median(b.map((l) => l.p99))} |`);
    }
    await ours.close();
    await prom.close();
    await s.close();
  }
  return rows;
}

async function stallRows(): Promise<string[]> {
  const s = await setup(STALL_CONNECTIONS);
  const changeAll = () => {
    for (const c of s.registry.all()) c.recordConnectionDrop({ error: errorOf(1) });
  };
  const ours: number[] = [];
  const oursOne: number[] = [];
  const prom: number[] = [];
  await s.telemetry.exposition();
  await s.mirror.reg.metrics();
  for (let rep = 0; rep < Math.max(REPS, 3); rep++) {
    changeAll();
    ours.push(await longestStall(() => s.telemetry.exposition()));
    s.registry.all()[0]?.recordConnectionDrop();
    oursOne.push(await longestStall(() => s.telemetry.exposition()));
    changeAll();
    prom.push(await longestStall(() => s.mirror.reg.metrics()));
  }
  await s.close();
  const stall = { what: "prom-client, full render", value: median(prom), unit: "ms" };
  const conditions = { connections: STALL_CONNECTIONS, series: s.series };
  results.figure({ id: FIGURE.stallAllChanged, what: "longest event-loop stall, one scrape, every connection changed", value: median(ours), unit: "ms", anchor: stall, ratio: median(ours) / stall.value, ratioOf: "ours / prom-client", conditions });
  results.figure({ id: FIGURE.stallOneChanged, what: "longest event-loop stall, one scrape, one connection changed", value: median(oursOne), unit: "ms", anchor: stall, ratio: median(oursOne) / stall.value, ratioOf: "ours / prom-client", conditions });
  const f = (xs: number[]) => median(xs).toFixed(1);
  return [
    `| connections | series | ours, every connection changed | ours, one connection changed | prom-client (full render) |`,
    "|---|---|---|---|---|",
    `| ${STALL_CONNECTIONS} | ${s.series} | ${f(ours)} | ${f(oursOne)} | ${f(prom)} |`,
  ];
}

/** ns per event; each side runs once to warm up, then once measured. */
function recordCost(): { ours: number; prom: number } {
  const N = 200_000;
  const err = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" };
  const timed = (run: () => void) => {
    run();
    const t0 = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - t0) / (2 * N);
  };
  const clock = new ManualClock(1_700_000_000_000);
  const registry = new CollectorRegistry({ clock, logger: silent, maxEventsRetained: 100 });
  const telemetry = createTelemetry({ registry });
  const c = registry.getOrCreate("heater-1");
  const ours = timed(() => {
    for (let i = 0; i < N; i++) {
      clock.advance(1000);
      c.recordConnectionSuccess({ eventType: "resumed" });
      clock.advance(300_000);
      c.recordConnectionDrop({ error: err });
    }
  });
  void telemetry.shutdown();
  const reg = new Registry();
  const conns = new Counter({ name: "c_total", help: "c", labelNames: ["connection", "event_type"], registers: [reg] });
  const drops = new Counter({ name: "d_total", help: "d", labelNames: ["connection", "error_name"], registers: [reg] });
  const session = new Histogram({ name: "s", help: "s", labelNames: ["connection"], buckets: SESSION_DURATION_BUCKETS, registers: [reg] });
  const ttr = new Histogram({ name: "t", help: "t", labelNames: ["connection"], buckets: TIME_TO_RECONNECT_BUCKETS, registers: [reg] });
  const prom = timed(() => {
    for (let i = 0; i < N; i++) {
      conns.inc({ connection: "heater-1", event_type: "resumed" });
      ttr.observe({ connection: "heater-1" }, 1);
      drops.inc({ connection: "heater-1", error_name: err.error_name });
      session.observe({ connection: "heater-1" }, 300);
    }
  });
  return { ours, prom };
}

async function main(): Promise<void> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`Conditions: node ${process.version}, ${SECONDS} s per cell, ${REPS} repetitions (median), autocannon -c 10 in a child process, ${ERROR_NAMES} error names per connection, no diagnosis gauge on either side, no gzip, both behind the same cache policy (max age ${MAX_AGE_MS} ms).\n`);
  const cost = recordCost();
  results.figure({ id: FIGURE.recordEvent, what: "recording one event, instruments attached", value: cost.ours, unit: "ns", anchor: { what: "prom-client counter+histogram updates alone", value: cost.prom, unit: "ns" }, ratio: cost.ours / cost.prom, ratioOf: "ours / prom-client" });
  out(results.table("record-event", [`recording one event (the collector's whole work, instruments attached): ${cost.ours.toFixed(0)} ns; prom-client's counter+histogram updates alone: ${cost.prom.toFixed(0)} ns`]) + "\n");
  out(results.table("throughput", await throughputRows()));
  out("\nLongest event-loop stall (ms, 1 ms sampling, median) during one scrape:\n");
  out(results.table("stall", await stallRows(), "Longest event-loop stall (ms, 1 ms sampling, median) during one scrape:"));
}

await main();
