/**
 * N real aws-iot-device-sdk-v2 MQTT 5 clients against a real Mosquitto on loopback, watched by
 * the service's own pieces (startService: collectors, journal, diagnosis, telemetry, /metrics),
 * and R broker restarts. After each restart, once every client has a QoS 1 publish acknowledged
 * (proof that its session is up), /metrics is read: a connection it shows as
 * `mqtt_client_connected 0` while its client just published is a false down (after a settle
 * time and a second publish, so a callback still in flight is not counted). RSS and heap are
 * taken after each restart, right after the second of two GCs 3 s apart. `npm run bench:restarts`;
 * BENCH_CONNECTIONS (1000), BENCH_RESTARTS (10), BENCH_MODE (service | collectors | clients: what the process holds besides
 * the clients, to attribute memory), BENCH_SCRAPE_MS (1000: a scraper during the whole run),
 * BENCH_HEAP_SNAPSHOT (a file to write a V8 heap snapshot to after the last restart).
 * Both this process and Mosquitto need `ulimit -n` above the number of connections.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { writeHeapSnapshot } from "node:v8";
import { mqtt5 } from "aws-iot-device-sdk-v2";
import { pino } from "pino";
import { CollectorRegistry } from "../src/collector/registry.js";
import { startService, type RunningService } from "../src/service/start-service.js";
import { BenchBroker, openFilesLimit } from "./restarts/broker.js";
import { loopbackConnections, startClients, stopClients } from "./restarts/clients.js";
import { connectedGauges, memoryRow, type MemoryRow } from "./restarts/readings.js";
import { FIGURE } from "./figure-ids.js";
import { benchResults } from "./results.js";

const N = Number(process.env["BENCH_CONNECTIONS"] ?? 1000);
const RESTARTS = Number(process.env["BENCH_RESTARTS"] ?? 10);
const MODE = process.env["BENCH_MODE"] ?? "service";
const SCRAPE_MS = Number(process.env["BENCH_SCRAPE_MS"] ?? 1000);
const MAX_EVENTS = 1000;
const PUBLISH_TIMEOUT_MS = 180_000;
const SETTLE_MS = 2000;
const SETTLE_GC_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const results = benchResults("restarts", {
  connections: N,
  "broker restarts (SIGTERM, 0.5 s down)": RESTARTS,
  "process holds": MODE,
  "/metrics scraped every (ms)": SCRAPE_MS,
  max_events_retained: MAX_EVENTS,
  clients: "aws-iot-device-sdk-v2 MQTT 5, plain TCP, no jitter, one Mosquitto on loopback",
});
const tally = { falseDowns: 0, rounds: 0, rssMax: 0 };

/** The figures after round `round` (0: the start), rewritten each round: a run cut short keeps what it measured. */
function recordRound(round: number, falseDowns: number | string, m: MemoryRow): void {
  const restarts = { connections: N, restarts: round };
  if (typeof falseDowns === "number") {
    tally.falseDowns += falseDowns;
    if (falseDowns > 0) tally.rounds++;
    results.figure({
      id: FIGURE.falseDowns,
      what: "connections shown down while their client published, summed over restarts",
      value: tally.falseDowns,
      unit: "connections",
      conditions: restarts,
    });
    results.figure({
      id: FIGURE.restartsWithFalseDowns,
      what: "restarts after which a connection was falsely down",
      value: tally.rounds,
      unit: "restarts",
      conditions: restarts,
    });
  }
  if (round === 0) {
    results.figure({ id: FIGURE.rssStart, what: "RSS at start, after two GCs", value: m.rss, unit: "MB", conditions: { connections: N } });
    results.figure({ id: "heap-used-start", what: "JS heap used at start", value: m.heapUsed, unit: "MB", conditions: { connections: N } });
    return;
  }
  tally.rssMax = Math.max(tally.rssMax, m.rss);
  results.figure({ id: FIGURE.rssMaxAfterRestarts, what: "highest RSS after a restart, after two GCs", value: tally.rssMax, unit: "MB", conditions: restarts });
  results.figure({ id: "rss-last", what: "RSS after the last restart", value: m.rss, unit: "MB", conditions: restarts });
  results.figure({ id: "heap-used-last", what: "JS heap used after the last restart", value: m.heapUsed, unit: "MB", conditions: restarts });
}

if (!["service", "collectors", "clients"].includes(MODE)) {
  process.stderr.write(`BENCH_MODE must be service, collectors or clients, got '${MODE}'\n`);
  process.exit(2);
}
const fdLimit = openFilesLimit(readFileSync("/proc/self/limits", "utf8"));
if (fdLimit !== undefined && fdLimit < N + 200) {
  process.stderr.write(`ulimit -n is ${fdLimit}: raise it above ${N + 200} for ${N} connections (this process and Mosquitto)\n`);
  process.exit(2);
}
if (globalThis.gc === undefined) {
  process.stderr.write("run with node --expose-gc (npm run bench:restarts does)\n");
  process.exit(2);
}
const gc = globalThis.gc;

/** A QoS 1 publish acknowledged by the broker: the client's session is up. */
async function published(client: mqtt5.Mqtt5Client, i: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), PUBLISH_TIMEOUT_MS)));
  const ack = client.publish({ topicName: `bench/${i}`, qos: mqtt5.QoS.AtLeastOnce, payload: "x" }).then(
    () => true,
    () => false,
  );
  const ok = await Promise.race([ack, timeout]);
  clearTimeout(timer);
  return ok;
}

/**
 * Memory once V8 has given back what a GC freed: right after gc() RSS still holds the freed
 * pages (V8 unmaps them on a background thread and shrinks the heap after a later GC), about
 * 50 MB at 1,000 connections, so a reading straight after gc() overstates RSS. The scraper
 * pauses meanwhile: its garbage would be counted as heap in use.
 */
async function measured(): Promise<MemoryRow> {
  gc();
  await sleep(SETTLE_GC_MS);
  // Read right after the second GC: the clients' own timers make garbage in any wait.
  gc();
  return memoryRow(process.memoryUsage());
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mde-restarts-bench-"));
  const broker = await BenchBroker.start(dir);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      broker.killNow();
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const load = [loadavg()[0] ?? 0];
  const connections = loopbackConnections(N, "restarts", broker.port);
  let service: RunningService | undefined;
  let registry: CollectorRegistry | undefined;
  if (MODE === "service") {
    service = await startService(
      { connections, journal: { path: join(dir, "journal.jsonl"), max_bytes: 1 << 26, retain_files: 1 }, max_events_retained: MAX_EVENTS },
      { logger: pino({ level: "silent" }), listen: { host: "127.0.0.1", port: 0 }, startClients: false },
    );
    registry = service.registry;
  } else if (MODE === "collectors") {
    registry = new CollectorRegistry({ maxEventsRetained: MAX_EVENTS });
  }
  // What watchConnection does for an MQTT 5 connection, keeping the client to publish with.
  const clients = startClients(connections, registry);

  let scraping = service !== undefined;
  let paused = false;
  const get = async () => (await fetch(`${service?.address}/metrics`, { headers: { "accept-encoding": "identity" } })).text();
  // Once more on a socket error: a kept-alive socket the server closed while idle fails once.
  const scrape = () => get().catch(get);
  const scraper = (async () => {
    while (scraping) {
      if (!paused) await scrape().catch(() => undefined);
      await sleep(SCRAPE_MS);
    }
  })();

  const drops = () => registry?.all().reduce((s, c) => s + c.totals.total_connection_drops, 0) ?? 0;
  const rows: string[] = [];
  for (let round = 0; round <= RESTARTS; round++) {
    const dropsBefore = drops();
    const t0 = Date.now();
    if (round > 0) await broker.restart(500);
    const acked = await Promise.all(clients.map((c, i) => published(c.client, i)));
    const backMs = Date.now() - t0;
    let falseDowns: number | string = "n/a";
    if (service !== undefined) {
      await sleep(SETTLE_MS);
      const suspects = [...connectedGauges(await scrape())].filter(([, v]) => v === 0).map(([name]) => Number(name.slice(1)));
      const stillUp = await Promise.all(suspects.map((i) => published(clients[i]!.client, i)));
      const gauges = connectedGauges(await scrape());
      falseDowns = suspects.filter((i, k) => stillUp[k] === true && gauges.get(`c${i}`) === 0).length;
    }
    paused = true;
    const m = await measured();
    paused = false;
    rows.push(
      `| ${round === 0 ? "start" : round} | ${(backMs / 1000).toFixed(1)} | ${registry ? drops() - dropsBefore : "n/a"} | ${acked.filter(Boolean).length} | ${falseDowns} | ${m.rss} | ${m.heapUsed} | ${m.heapTotal} | ${m.external} | ${m.rss - m.heapTotal} |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
    recordRound(round, falseDowns, m);
  }
  load.push(loadavg()[0] ?? 0);
  const snapshot = process.env["BENCH_HEAP_SNAPSHOT"];
  if (snapshot !== undefined) writeHeapSnapshot(snapshot);

  scraping = false;
  await scraper;
  await stopClients(clients);
  await service?.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    [
      `${N} MQTT 5 clients (aws-iot-device-sdk-v2, plain TCP, no jitter) on one Mosquitto on loopback, ${RESTARTS} broker restarts (SIGTERM, 0.5 s down);`,
      `process holds: ${MODE}${MODE === "service" ? ` (max_events_retained ${MAX_EVENTS}, /metrics scraped every ${SCRAPE_MS} ms)` : ""}; ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${load.map((l) => l.toFixed(1)).join(" -> ")}; node ${process.version}`,
      "",
      results.table("rounds", [
        "| restart | all back (s) | drops recorded | QoS 1 publishes acked | false downs | RSS MB | heap used MB | heap total MB | external MB | RSS outside the JS heap MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
        ...rows,
      ]),
      "",
    ].join("\n"),
  );
  process.exit(0);
}

await main();
