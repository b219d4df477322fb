/**
 * Responsiveness (issue 21, "Staying responsive"). Two parts, each printed with the machine's
 * CPU model and load average read when the figure was taken (the machine may be shared):
 *  - storm: N real aws-iot-device-sdk-v2 MQTT 5 clients on one Mosquitto, watched by the
 *    service's own pieces, the broker restarted R times, /metrics scraped every S ms: p50/p99
 *    scrape latency before the restarts and while the clients come back, beside the event loop's
 *    own delay (the clients share the measured process; the scraper and its check do not);
 *    connections wrongly left down; expositions that did not parse; RSS.
 *  - big render: N connections with E error names each (collectors only): the first scrape's
 *    time and size, /healthz latency while it renders, the status page's time and size, RSS.
 * `npm run bench:storm`; BENCH_CONNECTIONS (1000), BENCH_RESTARTS (4), BENCH_SCRAPE_MS (50),
 * BENCH_ERROR_NAMES (70), BENCH_PARTS (storm,big), BENCH_SCRAPE_ENCODING (gzip, as Prometheus asks; or identity). `ulimit -n` must exceed N + 200.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bigRender } from "./storm/big-render.js";
import { cpuModel, loadText, quantile } from "./storm/machine.js";
import { storm } from "./storm/storm.js";
import { openFilesLimit } from "./restarts/broker.js";
import { startBrokerProcess } from "./storm/broker-process.js";
import { benchResults } from "./results.js";

const N = Number(process.env["BENCH_CONNECTIONS"] ?? 1000);
const RESTARTS = Number(process.env["BENCH_RESTARTS"] ?? 4);
const SCRAPE_MS = Number(process.env["BENCH_SCRAPE_MS"] ?? 50);
const NAMES = Number(process.env["BENCH_ERROR_NAMES"] ?? 70);
const PARTS = (process.env["BENCH_PARTS"] ?? "storm,big").split(",");
const results = benchResults("storm", {
  connections: N,
  "broker restarts (SIGTERM, 0.5 s down)": RESTARTS,
  "/metrics scraped every (ms)": SCRAPE_MS,
  "error names per connection (big render)": NAMES,
  "scraper and exposition check": "a child process",
  "scrape encoding (the big render's first scrape: identity)": process.env["BENCH_SCRAPE_ENCODING"] ?? "gzip",
  Mosquitto: "restarted from a process of its own",
  "the storm's SDK clients": "in the measured process (as an application embeds them): compare the scrape latency with the event-loop delay",
});

const fdLimit = openFilesLimit(readFileSync("/proc/self/limits", "utf8"));
if (PARTS.includes("storm") && fdLimit !== undefined && fdLimit < N + 200) {
  process.stderr.write(`ulimit -n is ${fdLimit}: raise it above ${N + 200} for ${N} connections (this process and Mosquitto)\n`);
  process.exit(2);
}

const line = (text: string) => process.stdout.write(`${text}\n`);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
/** The table docs/benchmarks.md is regenerated from: each figure with the load it was taken under. */
const rows: string[] = [];
const row = (what: string, value: string, load: string) => rows.push(`| ${what} | ${value} | ${load.replace(/^load /, "")} |`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mde-storm-bench-"));
  line(`machine: ${cpuModel()}, node ${process.version}; ${N} connections`);
  if (PARTS.includes("storm")) {
    const broker = await startBrokerProcess(dir);
    for (const signal of ["SIGINT", "SIGTERM"] as const)
      process.once(signal, () => {
        broker.killNow();
        rmSync(dir, { recursive: true, force: true });
        process.exit(130);
      });
    line(`storm: starting (${loadText()})`);
    const s = await storm(dir, broker, N, RESTARTS, SCRAPE_MS);
    await broker.stop();
    const load = loadText();
    const rows: [string, string, number, string][] = [
      ["scrape p50, quiet", "storm-quiet-p50", quantile(s.quiet, 0.5), "ms"],
      ["scrape p99, quiet", "storm-quiet-p99", quantile(s.quiet, 0.99), "ms"],
      ["scrape p50, during the storm", "storm-p50", quantile(s.storm, 0.5), "ms"],
      ["scrape p99, during the storm", "storm-p99", quantile(s.storm, 0.99), "ms"],
      ["scrape max, during the storm", "storm-max", Math.max(...s.storm), "ms"],
    ];
    for (const [what, id, value, unit] of rows) {
      line(`  ${what}: ${fmt(value)} (${load})`);
      row(`${what}, ${N} clients`, fmt(value), load);
      results.figure({ id, what, value, unit, conditions: { connections: N, restarts: RESTARTS } });
    }
    line(`  event-loop delay during the storm: p99 ${fmt(s.loopDelayP99Ms)}, max ${fmt(s.loopDelayMaxMs)} (${load})`);
    line(`  scrapes: ${s.quiet.length} quiet, ${s.storm.length} during the storm; restarts all clients came back from: ${s.recovered}/${RESTARTS}`);
    line(`  connections wrongly down at the end: ${s.wronglyDown}; expositions that did not parse: ${s.invalid}; RSS ${s.rssMb} MB (${load})`);
    row("event-loop delay during the storm, p99 / max", `${fmt(s.loopDelayP99Ms)} / ${fmt(s.loopDelayMaxMs)}`, load);
    row("connections wrongly down after the storm; expositions that did not parse", `${s.wronglyDown}; ${s.invalid}`, load);
    results.figure({
      id: "storm-wrongly-down",
      what: "connections shown down after every client published again",
      value: s.wronglyDown,
      unit: "connections",
      conditions: { connections: N },
    });
    results.figure({ id: "storm-rss", what: "RSS after the storm", value: s.rssMb, unit: "MB", conditions: { connections: N } });
  }
  if (PARTS.includes("big")) {
    line(`big render: starting (${loadText()})`);
    const b = await bigRender(dir, N, NAMES);
    const load = loadText();
    line(
      `  first scrape: ${fmt(b.firstScrapeMs)}${b.exposition.failed !== undefined ? ` (${b.exposition.failed})` : ""}, ${b.exposition.samples} samples, ${(b.exposition.bytes / 2 ** 20).toFixed(1)} MB (${load})`,
    );
    line(
      `  /healthz during it: p50 ${fmt(b.healthzP50Ms)}, max ${fmt(b.healthzMaxMs)} over ${b.healthzCount} requests; the service's event-loop delay max ${fmt(b.loopDelayMaxMs)} (${load})`,
    );
    line(`  status page: ${fmt(b.statusPageMs)}, ${(b.statusPageBytes / 1024).toFixed(0)} KB; RSS ${b.rssMb} MB (${load})`);
    row(
      `first scrape, ${N} x ${NAMES} error names`,
      `${fmt(b.firstScrapeMs)}${b.exposition.failed !== undefined ? " (cut)" : `, ${b.exposition.samples} samples`}`,
      load,
    );
    row("slowest /healthz during it; the service's event-loop delay max", `${fmt(b.healthzMaxMs)}; ${fmt(b.loopDelayMaxMs)}`, load);
    row("status page", `${fmt(b.statusPageMs)}, ${(b.statusPageBytes / 1024).toFixed(0)} KB`, load);
    row("RSS after the big render", `${b.rssMb} MB`, load);
    results.figure({
      id: "big-first-scrape",
      what: "first scrape",
      value: b.firstScrapeMs,
      unit: "ms",
      conditions: { connections: N, samples: b.exposition.samples },
    });
    results.figure({
      id: "big-healthz-max",
      what: "slowest /healthz during the first scrape",
      value: b.healthzMaxMs,
      unit: "ms",
      conditions: { connections: N },
    });
    results.figure({
      id: "big-loop-delay-max",
      what: "the service's event-loop delay, max, during the first scrape",
      value: b.loopDelayMaxMs,
      unit: "ms",
      conditions: { connections: N },
    });
    results.figure({ id: "big-status-page", what: "status page", value: b.statusPageMs, unit: "ms", conditions: { connections: N, bytes: b.statusPageBytes } });
    results.figure({ id: "big-rss", what: "RSS after the big render", value: b.rssMb, unit: "MB", conditions: { connections: N } });
  }
  results.table("storm", [`CPU: ${cpuModel()}`, "", "| figure | value | load average (1, 5, 15 min) |", "|---|---|---|", ...rows]);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

await main();
