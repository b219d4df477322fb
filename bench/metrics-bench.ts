/**
 * `/metrics` against prom-client as its users use it, like for like: each side a server in its
 * own process (bench/metrics/side-server.ts) with the same series (checked name for name and label
 * for label before anything is measured), the same cache policy and the same events, delivered
 * on a schedule that never skips one, counted on each side and printed beside each cell; the
 * ceiling (a bare Fastify route sending our exposition's bytes, plain and gzip, pre-built) in the same
 * run; plain and gzip; interleaved repetitions whose order rotates, after a warm-up of every side;
 * medians. Then the event-loop stall of one scrape over HTTP, memory, and the recording cost.
 * `npm run bench:metrics`; smoke: `BENCH_SECONDS=1 BENCH_REPS=1 BENCH_CONNECTIONS=1,10 BENCH_STALL_CONNECTIONS=50`.
 */
import { cannon, median, seriesOf, startSide, type Load, type SideName, type SideProcess } from "./metrics/harness.js";
import { recordCost } from "./metrics/record-cost.js";
import { FIGURE } from "./figure-ids.js";
import { benchResults } from "./results.js";

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const SECONDS = Number(env("BENCH_SECONDS", "5"));
const REPS = Number(env("BENCH_REPS", "3"));
const CONNECTIONS = env("BENCH_CONNECTIONS", "1,10,100,1000").split(",").map(Number);
const STALL_CONNECTIONS = Number(env("BENCH_STALL_CONNECTIONS", "1000"));
const ERROR_NAMES = Number(env("BENCH_ERROR_NAMES", "5"));
const RATE = 10_000;
const MAX_AGE_MS = 1000;
const results = benchResults("metrics", {
  "seconds per cell": SECONDS,
  repetitions: REPS,
  connections: CONNECTIONS,
  "stall at connections": STALL_CONNECTIONS,
  "error names per connection": ERROR_NAMES,
  "cache max age (ms)": MAX_AGE_MS,
  "events per second offered": RATE,
  "load generator": "autocannon -c 10 in a child process",
  sides: "each in its own process; prom-client updated in the event handlers as its users do",
  "diagnosis gauge": "none on either side",
});
const out = (s: string) => process.stdout.write(`${s}\n`);

async function sameSeries(a: SideProcess, b: SideProcess): Promise<number> {
  const [x, y] = [seriesOf((await a.get<string>("/metrics")).body), seriesOf((await b.get<string>("/metrics")).body)];
  const diff = [...[...x].filter((s) => !y.has(s)).map((s) => `ours only: ${s}`), ...[...y].filter((s) => !x.has(s)).map((s) => `prom-client only: ${s}`)];
  if (diff.length > 0) throw new Error(`not the same series (${diff.length} differ), e.g.\n${diff.slice(0, 5).join("\n")}`);
  return x.size;
}

interface Cell {
  load: Load;
  eventsPerSecond: number;
  cpuMicrosPerRequest: number; // the server's CPU (every thread) over the cell, per request answered
  /** The server's CPU over the cell's wall time, in cores: well under 1, the load generator (on the other core) set the pace. */
  busy: number;
}

async function cell(side: SideProcess, events: boolean, gzip: boolean): Promise<Cell> {
  const cpu = async () => (await side.get<{ micros: number }>("/bench/cpu")).body.micros;
  if (events) await side.get(`/bench/feed/start?rate=${RATE}`);
  // The ceiling sends ours' bodies as they are now, not as they were at start (see side-server.ts).
  if (side.side === "ceiling") await side.get("/bench/refresh");
  const before = await cpu();
  const started = performance.now();
  const load = await cannon(`${side.base}/metrics`, SECONDS, gzip);
  const used = (await cpu()) - before;
  const busy = used / ((performance.now() - started) * 1000);
  const cpuMicrosPerRequest = used / load.requests;
  if (!events) return { load, eventsPerSecond: 0, cpuMicrosPerRequest, busy };
  const fed = (await side.get<{ delivered: number; seconds: number }>("/bench/feed/stop")).body;
  return { load, eventsPerSecond: fed.delivered / fed.seconds, cpuMicrosPerRequest, busy };
}

async function throughputRows(): Promise<string[]> {
  const rows = [
    "| connections | series | bytes (gzip) | cell | ours req/s | prom-client req/s | ratio | ceiling req/s | ours / ceiling | ours p99 ms | prom-client p99 ms | events/s received (ours / prom-client) | server CPU µs/request (ours / prom-client / ceiling) | server busy, cores (ours / prom-client / ceiling) |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const n of CONNECTIONS) {
    const ours = await startSide("ours", n, ERROR_NAMES, MAX_AGE_MS);
    const prom = await startSide("prom", n, ERROR_NAMES, MAX_AGE_MS);
    const series = await sameSeries(ours, prom);
    // Ours' bodies' sizes, read again after each group of cells: events make them grow.
    const sizes = async () => [(await ours.get<string>("/metrics")).bytes, (await ours.get<string>("/metrics", { "accept-encoding": "gzip" })).bytes];
    const ceiling = await startSide("ceiling", n, ERROR_NAMES, MAX_AGE_MS, `${ours.base}/metrics`);
    const sides: Record<SideName, SideProcess> = { ours, prom, ceiling };
    // Warm-up: every side serves (and, with events, records) before the first measured cell.
    for (const s of [ours, prom, ceiling]) await cannon(`${s.base}/metrics`, 1);
    for (const gzip of [false, true]) {
      for (const events of [false, true]) {
        const cells: Record<SideName, Cell[]> = { ours: [], prom: [], ceiling: [] };
        // The ceiling sends the same bytes with or without events: measured in the idle cells only.
        const names: SideName[] = events ? ["ours", "prom"] : ["ours", "prom", "ceiling"];
        for (let rep = 0; rep < REPS; rep++) {
          const order = names.map((_, i) => names[(i + rep) % names.length] as SideName);
          for (const name of order) cells[name].push(await cell(sides[name], events, gzip));
        }
        const rps = (name: SideName) => median(cells[name].map((c) => c.load.rps));
        const p99 = (name: SideName) => median(cells[name].map((c) => c.load.p99));
        const fed = (name: SideName) => median(cells[name].map((c) => c.eventsPerSecond));
        const cpu = (name: SideName) => median(cells[name].map((c) => c.cpuMicrosPerRequest));
        const busy = (name: SideName) => median(cells[name].map((c) => c.busy));
        const ceil = events ? undefined : rps("ceiling");
        const [size, zipped] = await sizes();
        const label = `${events ? "10k events/s" : "idle"}${gzip ? ", gzip" : ""}`;
        const conditions = { connections: n, series, events: events ? "10k/s" : "idle", gzip };
        if (!gzip) {
          results.figure({
            id: FIGURE.rps(n, events),
            what: "/metrics req/s",
            value: rps("ours"),
            unit: "req/s",
            anchor: { what: "prom-client as its users use it, same cache", value: rps("prom"), unit: "req/s" },
            ratio: rps("ours") / rps("prom"),
            ratioOf: "ours / prom-client",
            conditions,
          });
          results.figure({
            id: FIGURE.p99(n, events),
            what: "/metrics p99",
            value: p99("ours"),
            unit: "ms",
            anchor: { what: "prom-client as its users use it, same cache", value: p99("prom"), unit: "ms" },
            conditions,
          });
        }
        results.figure({
          id: `rps-${events ? "events" : "idle"}${gzip ? "-gzip" : ""}-detail@${n}`,
          what: "/metrics req/s, with the events each side received",
          value: rps("ours"),
          unit: "req/s",
          anchor: { what: "prom-client", value: rps("prom"), unit: "req/s" },
          ratio: rps("ours") / rps("prom"),
          ratioOf: "ours / prom-client",
          conditions: {
            ...conditions,
            "events/s received by ours": Math.round(fed("ours")),
            "events/s received by prom-client": Math.round(fed("prom")),
            "server CPU µs/request, ours": Number(cpu("ours").toFixed(1)),
            "server CPU µs/request, prom-client": Number(cpu("prom").toFixed(1)),
            "server busy (cores), ours": Number(busy("ours").toFixed(2)),
            "server busy (cores), prom-client": Number(busy("prom").toFixed(2)),
            ...(ceil !== undefined ? { "server busy (cores), ceiling": Number(busy("ceiling").toFixed(2)) } : {}),
            ...(ceil !== undefined ? { "ceiling req/s": Math.round(ceil) } : {}),
          },
        });
        if (ceil !== undefined)
          results.figure({
            id: `ceiling${gzip ? "-gzip" : ""}@${n}`,
            what: "idle /metrics req/s against the ceiling (a bare route sending our bytes, pre-built)",
            value: rps("ours"),
            unit: "req/s",
            anchor: { what: "ceiling", value: ceil, unit: "req/s" },
            ratio: rps("ours") / ceil,
            ratioOf: "ours / ceiling",
            conditions,
          });
        rows.push(
          `| ${n} | ${series} | ${size} (${zipped}) | ${label} | ${rps("ours").toFixed(0)} | ${rps("prom").toFixed(0)} | ${(rps("ours") / rps("prom")).toFixed(2)} | ${ceil === undefined ? "" : ceil.toFixed(0)} | ${ceil === undefined ? "" : (rps("ours") / ceil).toFixed(2)} | ${p99("ours")} | ${p99("prom")} | ${events ? `${fed("ours").toFixed(0)} / ${fed("prom").toFixed(0)}` : ""} | ${cpu("ours").toFixed(1)} / ${cpu("prom").toFixed(1)}${ceil === undefined ? "" : ` / ${cpu("ceiling").toFixed(1)}`} | ${busy("ours").toFixed(2)} / ${busy("prom").toFixed(2)}${ceil === undefined ? "" : ` / ${busy("ceiling").toFixed(2)}`} |`,
        );
        out(rows[rows.length - 1] as string);
      }
    }
    if (n === 1000 || n === CONNECTIONS[CONNECTIONS.length - 1]) {
      for (const s of [ours, prom]) {
        const m = (await s.get<{ rss: number; heapUsed: number }>("/bench/memory")).body;
        results.figure({
          id: `memory-${s.side}@${n}`,
          what: `${s.side === "ours" ? "ours" : "prom-client"}: RSS and heap after the cells (after two GCs)`,
          value: m.rss / 2 ** 20,
          unit: "MiB RSS",
          anchor: { what: "heap used", value: m.heapUsed / 2 ** 20, unit: "MiB" },
          conditions: { connections: n },
        });
      }
    }
    for (const s of [ours, prom, ceiling]) await s.close();
  }
  return rows;
}

async function stallRows(): Promise<string[]> {
  const ours = await startSide("ours", STALL_CONNECTIONS, ERROR_NAMES, MAX_AGE_MS);
  const prom = await startSide("prom", STALL_CONNECTIONS, ERROR_NAMES, MAX_AGE_MS);
  const series = await sameSeries(ours, prom);
  // One scrape over HTTP after a change (a cache miss); the server's own 1 ms timer says how long its loop was held.
  const stall = async (s: SideProcess, all: boolean) => {
    await s.get(`/bench/change?all=${all ? 1 : 0}`);
    await s.get("/bench/stall/reset");
    await s.get("/metrics");
    return (await s.get<{ maxMs: number }>("/bench/stall")).body.maxMs;
  };
  const a: number[] = [];
  const one: number[] = [];
  const b: number[] = [];
  for (let rep = 0; rep < Math.max(REPS, 5); rep++) {
    if (rep % 2 === 0) {
      a.push(await stall(ours, true));
      b.push(await stall(prom, true));
    } else {
      b.push(await stall(prom, true));
      a.push(await stall(ours, true));
    }
    one.push(await stall(ours, false));
  }
  await ours.close();
  await prom.close();
  const anchor = { what: "prom-client, every connection changed", value: median(b), unit: "ms" };
  const conditions = { connections: STALL_CONNECTIONS, series, over: "HTTP, each side in its own process" };
  results.figure({
    id: FIGURE.stallAllChanged,
    what: "longest event-loop stall, one scrape, every connection changed",
    value: median(a),
    unit: "ms",
    anchor,
    ratio: median(a) / anchor.value,
    ratioOf: "ours / prom-client",
    conditions,
  });
  results.figure({
    id: FIGURE.stallOneChanged,
    what: "longest event-loop stall, one scrape, one connection changed",
    value: median(one),
    unit: "ms",
    anchor,
    ratio: median(one) / anchor.value,
    ratioOf: "ours / prom-client",
    conditions,
  });
  const f = (xs: number[]) => median(xs).toFixed(1);
  return [
    "| connections | series | ours, every connection changed | ours, one connection changed | prom-client, every connection changed |",
    "|---|---|---|---|---|",
    `| ${STALL_CONNECTIONS} | ${series} | ${f(a)} | ${f(one)} | ${f(b)} |`,
  ];
}

async function main(): Promise<void> {
  out(
    `Conditions: node ${process.version}, ${SECONDS} s per cell, ${REPS} repetitions (median, order rotating), autocannon -c 10 in a child process, each side in its own process, ${RATE} events/s offered on a schedule that skips none, ${ERROR_NAMES} error names per connection, no diagnosis gauge, same cache policy (max age ${MAX_AGE_MS} ms).\n`,
  );
  const costs = [await recordCost(1), await recordCost(1000)];
  for (const c of costs) {
    results.figure({
      id: c.connections === 1 ? FIGURE.recordEvent : `${FIGURE.recordEvent}@${c.connections}`,
      what: "recording one event, instruments attached",
      value: c.oursNs,
      unit: "ns",
      anchor: { what: "prom-client: the same counting and timing in the handler", value: c.promNs, unit: "ns" },
      ratio: c.oursNs / c.promNs,
      ratioOf: "ours / prom-client",
      conditions: { connections: c.connections, rounds: "10 interleaved, median" },
    });
  }
  out(
    results.table("record-event", [
      "| connections | ours ns/event | prom-client ns/event | ratio |",
      "|---|---|---|---|",
      ...costs.map((c) => `| ${c.connections} | ${c.oursNs.toFixed(0)} | ${c.promNs.toFixed(0)} | ${(c.oursNs / c.promNs).toFixed(2)} |`),
    ]) + "\n",
  );
  out(results.table("throughput", await throughputRows()));
  out("\nLongest event-loop stall (ms, the server's 1 ms timer, median) during one scrape over HTTP:\n");
  out(results.table("stall", await stallRows(), "Longest event-loop stall (ms, the server's 1 ms timer, median) during one scrape over HTTP:"));
}

await main();
