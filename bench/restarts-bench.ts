/**
 * N real aws-iot-device-sdk-v2 MQTT 5 clients against a real Mosquitto on loopback, watched by
 * the service's own pieces (startService: collectors, journal, diagnosis, telemetry, /metrics),
 * and R broker restarts. The service and its clients run in a process of their own (the measured
 * one, bench/restarts/service-process.ts); the broker, the scraper (another child process, as
 * bench:storm's) and the reading of /metrics for false downs are this process's, so the memory
 * figures are the service's. After each restart, once every client has a QoS 1 publish
 * acknowledged (proof that its session is up), /metrics is read: a connection it shows as
 * `mqtt_client_connected 0` while its client just published is a false down (after a settle
 * time and a second publish, so a callback still in flight is not counted). RSS and heap are
 * taken after each restart, right after the second of two GCs 3 s apart, with the scraper
 * stopped, with where the resident pages lie (/proc/PID/smaps: anonymous or file-backed,
 * malloc's main arena and thread arenas); and RSS as a monitoring system sees it, read every
 * 200 ms through the whole run with no forced GC (p50, p90, max). `npm run bench:restarts`; BENCH_CONNECTIONS (1000),
 * BENCH_RESTARTS (10), BENCH_MODE (what the measured process holds besides the clients, to
 * attribute memory, each adding a layer: clients | collectors | journal | diagnosis | telemetry
 * (the exposition rendered in-process as often as it would be scraped) | service),
 * BENCH_SCRAPE_MS (1000: a scraper during the whole run), BENCH_SCRAPE_ENCODING (gzip, as
 * Prometheus asks; or identity), BENCH_NODE_FLAGS (node flags for the measured process),
 * BENCH_PROCESS (image: the node flags and GLIBC_TUNABLES the Dockerfile runs the service with,
 * the default; plain: none), BENCH_HEAP_SNAPSHOT (a file to write a V8 heap snapshot to after the last restart).
 * Both the measured process and Mosquitto need `ulimit -n` above the number of connections.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { BenchBroker, openFilesLimit } from "./restarts/broker.js";
import { MODES, type Mode } from "./restarts/layers.js";
import { repositoryImageSettings } from "./restarts/image-settings.js";
import { startMeasured } from "./restarts/measured-process.js";
import { connectedGauges, type MemoryRow } from "./restarts/readings.js";
import { sampleRss } from "./restarts/rss-sampler.js";
import type { Measure } from "./restarts/service-process.js";
import { startScraper } from "./storm/child.js";
import { quantile } from "./storm/machine.js";
import { FIGURE } from "./figure-ids.js";
import { benchResults } from "./results.js";

const N = Number(process.env["BENCH_CONNECTIONS"] ?? 1000);
const RESTARTS = Number(process.env["BENCH_RESTARTS"] ?? 10);
const MODE = (process.env["BENCH_MODE"] ?? "service") as Mode;
const SCRAPE_MS = Number(process.env["BENCH_SCRAPE_MS"] ?? 1000);
const ENCODING = process.env["BENCH_SCRAPE_ENCODING"] ?? "gzip";
// The service as the image runs it (its node flags and GLIBC_TUNABLES, read from the Dockerfile), unless BENCH_PROCESS=plain.
const PROCESS = process.env["BENCH_PROCESS"] === "plain" ? "plain" : "image";
const IMAGE = PROCESS === "image" ? repositoryImageSettings() : { nodeFlags: [], env: {} };
const NODE_FLAGS = [...IMAGE.nodeFlags, ...(process.env["BENCH_NODE_FLAGS"] ?? "").split(" ").filter((f) => f !== "")];
Object.assign(process.env, IMAGE.env);
const MAX_EVENTS = 1000;
const BARE_RSS_EVERY_MS = 200;
const BARE_RSS_QUANTILES = [
  ["p50", 0.5],
  ["p90", 0.9],
  ["max", 1],
] as const;
const SETTLE_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const results = benchResults("restarts", {
  connections: N,
  "broker restarts (SIGTERM, 0.5 s down)": RESTARTS,
  "process holds": MODE,
  "/metrics scraped every (ms)": SCRAPE_MS,
  "scrape encoding": ENCODING,
  "measured process": "the service and its clients only (broker, scraper and false-down reading in other processes)",
  "process settings": PROCESS === "image" ? "the image's (Dockerfile: ENTRYPOINT node flags, GLIBC_TUNABLES)" : "plain node",
  ...(NODE_FLAGS.length > 0 ? { "node flags": NODE_FLAGS.join(" ") } : {}),
  ...Object.fromEntries(["GLIBC_TUNABLES", "MALLOC_ARENA_MAX", "LD_PRELOAD"].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : []))),
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

if (!(MODES as readonly string[]).includes(MODE)) {
  process.stderr.write(`BENCH_MODE must be one of ${MODES.join(", ")}, got '${MODE}'\n`);
  process.exit(2);
}
const fdLimit = openFilesLimit(readFileSync("/proc/self/limits", "utf8"));
if (fdLimit !== undefined && fdLimit < N + 200) {
  process.stderr.write(`ulimit -n is ${fdLimit}: raise it above ${N + 200} for ${N} connections (this process and Mosquitto)\n`);
  process.exit(2);
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
/** A round's memory columns: process.memoryUsage(), then where the resident pages lie (smaps.ts). */
const memoryCells = ({ memory: m, smaps: p }: Measure) =>
  [m.rss, m.heapUsed, m.heapTotal, m.external, m.rss - m.heapTotal, mb(p.anonymous), mb(p.fileBacked), mb(p.brk), mb(p.arenas), mb(p.anon)].join(" | ");

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mde-restarts-bench-"));
  const broker = await BenchBroker.start(dir);
  let kill = () => undefined as void;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      kill();
      broker.killNow();
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const load = [loadavg()[0] ?? 0];
  const service = await startMeasured({
    port: broker.port,
    dir,
    mode: MODE,
    connections: N,
    maxEvents: MAX_EVENTS,
    renderMs: SCRAPE_MS,
    encoding: ENCODING,
    nodeFlags: NODE_FLAGS,
  });
  kill = () => service.kill();
  // What a monitoring system sees, beside the readings after two GCs (rss-sampler.ts).
  const bare = sampleRss(service.pid, BARE_RSS_EVERY_MS);
  const address = service.address;
  const get = async () => (await fetch(`${address}/metrics`, { headers: { "accept-encoding": "identity" } })).text();
  // Once more on a socket error: a kept-alive socket the server closed while idle fails once.
  const scrape = () => get().catch(get);
  // Stopped while memory is read: the scrapes' garbage would be counted as memory in use.
  let scraper = address === undefined ? undefined : startScraper(address, SCRAPE_MS);
  let lastSpaces: Measure["spaces"] = {};
  let cpuMs = 0;
  const scrapeMs: number[] = [];

  const rows: string[] = [];
  for (let round = 0; round <= RESTARTS; round++) {
    const dropsBefore = await service.drops();
    const t0 = Date.now();
    if (round > 0) await broker.restart(500);
    const acked = await service.publish();
    const backMs = Date.now() - t0;
    let falseDowns: number | string = "n/a";
    if (address !== undefined) {
      await sleep(SETTLE_MS);
      const suspects = [...connectedGauges(await scrape())].filter(([, v]) => v === 0).map(([name]) => Number(name.slice(1)));
      const stillUp = await service.publish(suspects);
      const gauges = connectedGauges(await scrape());
      falseDowns = suspects.filter((i, k) => stillUp[k] === true && gauges.get(`c${i}`) === 0).length;
    }
    scrapeMs.push(...((await scraper?.stop())?.scrapes.map((x) => x.ms) ?? []));
    const m = await service.measure();
    lastSpaces = m.spaces;
    cpuMs = m.cpuMs;
    if (address !== undefined) scraper = startScraper(address, SCRAPE_MS);
    const dropsAfter = await service.drops();
    rows.push(
      `| ${round === 0 ? "start" : round} | ${(backMs / 1000).toFixed(1)} | ${dropsAfter === undefined || dropsBefore === undefined ? "n/a" : dropsAfter - dropsBefore} | ${acked.filter(Boolean).length} | ${falseDowns} | ${memoryCells(m)} |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
    recordRound(round, falseDowns, m.memory);
  }
  load.push(loadavg()[0] ?? 0);
  const run = { connections: N, restarts: RESTARTS };
  results.figure({ id: "cpu-seconds", what: "CPU time of the measured process until the last reading", value: cpuMs / 1000, unit: "s", conditions: run });
  for (const q of scrapeMs.length > 0 ? [0.5, 0.99] : [])
    results.figure({
      id: `scrape-p${q * 100}`,
      what: `scrape latency p${q * 100}, from the scraper process`,
      value: quantile(scrapeMs, q),
      unit: "ms",
      conditions: run,
    });
  const bareRss = bare.stop();
  // Each quantile once, for the figures and the printed line; none when no reading was taken.
  const bareMb = bareRss.length === 0 ? [] : BARE_RSS_QUANTILES.map(([id, q]) => [id, mb(quantile(bareRss, q))] as const);
  for (const [id, value] of bareMb)
    results.figure({
      id: FIGURE.bareRss(id),
      what: `RSS ${id} through the run, read every ${BARE_RSS_EVERY_MS} ms from /proc/PID/status, no forced GC (${bareRss.length} readings)`,
      value,
      unit: "MB",
      conditions: run,
    });
  const snapshot = process.env["BENCH_HEAP_SNAPSHOT"];
  if (snapshot !== undefined) await service.snapshot(snapshot);

  scrapeMs.push(...((await scraper?.stop())?.scrapes.map((x) => x.ms) ?? []));
  await service.stop();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    [
      `${N} MQTT 5 clients (aws-iot-device-sdk-v2, plain TCP, no jitter) on one Mosquitto on loopback, ${RESTARTS} broker restarts (SIGTERM, 0.5 s down);`,
      `measured process holds: ${MODE}${MODE === "service" ? ` (max_events_retained ${MAX_EVENTS}, /metrics scraped every ${SCRAPE_MS} ms, ${ENCODING}, from another process)` : ""}${NODE_FLAGS.length > 0 ? `, node flags ${NODE_FLAGS.join(" ")}` : ""}; ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${load.map((l) => l.toFixed(1)).join(" -> ")}; node ${process.version}`,
      `RSS through the run, no forced GC (every ${BARE_RSS_EVERY_MS} ms): ${bareMb.length === 0 ? "no reading" : `${bareMb.map(([id, v]) => `${id} ${v}`).join(", ")} MB`}`,
      `the measured process's CPU time until the last reading: ${(cpuMs / 1000).toFixed(1)} s${scrapeMs.length > 0 ? `; ${scrapeMs.length} scrapes, p50 ${quantile(scrapeMs, 0.5).toFixed(1)} ms, p99 ${quantile(scrapeMs, 0.99).toFixed(1)} ms` : ""}`,
      `V8 spaces after the last restart (physical MB): ${Object.entries(lastSpaces)
        .map(([name, bytes]) => `${name} ${mb(bytes)}`)
        .join(", ")}`,
      "",
      results.table("rounds", [
        "| restart | all back (s) | drops recorded | QoS 1 publishes acked | false downs | RSS MB | heap used MB | heap total MB | external MB | RSS outside the JS heap MB | anonymous MB | file-backed MB | malloc main arena MB | malloc thread arenas MB | other anonymous MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ...rows,
      ]),
      "",
    ].join("\n"),
  );
  process.exit(0);
}

await main();
