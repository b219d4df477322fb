import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pino } from "pino";
import { startService } from "../../src/service/start-service.js";
import type { StormBroker } from "./broker-process.js";
import { loopbackConnections, published, startClients, stopClients } from "../restarts/clients.js";
import { connectedGauges } from "../restarts/readings.js";
import { startScraper } from "./child.js";
import { validExposition } from "./scraper.js";

export interface StormFigures {
  /** Scrape latencies (ms) before the first restart, and while the clients came back after each. */
  quiet: number[];
  storm: number[];
  /** Restarts whose clients all published again, and connections left `connected 0` at the end. */
  recovered: number;
  wronglyDown: number;
  /** Expositions (every scrape's, checked by the scraper process, and the last) that did not parse. */
  invalid: number;
  rssMb: number;
  /** Event-loop delay (ms) while the clients came back: the worst storm's p99 and max. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * N real MQTT 5 clients watched by the service's own pieces (collectors, journal, diagnosis,
 * telemetry, HTTP) in this process (as an application embeds them), a scrape every `scrapeMs`
 * sent, timed from request to last byte and checked by another process, the broker
 * restarted `restarts` times (0.5 s down). The latencies of scrapes sent between a restart and
 * the moment every client has published again are the storm's.
 */
export async function storm(dir: string, broker: StormBroker, n: number, restarts: number, scrapeMs: number): Promise<StormFigures> {
  const connections = loopbackConnections(n, "storm", broker.port);
  const service = await startService(
    { connections, journal: { path: join(dir, "storm.jsonl"), max_bytes: 1 << 28, retain_files: 1 }, max_events_retained: 1000 },
    { logger: pino({ level: "silent" }), listen: { host: "127.0.0.1", port: 0 }, startClients: false },
  );
  const clients = startClients(connections, service.registry);
  const figures: StormFigures = { quiet: [], storm: [], recovered: 0, wronglyDown: 0, invalid: 0, rssMb: 0, loopDelayP99Ms: 0, loopDelayMaxMs: 0 };
  // Enabled throughout and reset when a storm starts: a monitor disabled and enabled again counts
  // the time it was off (the pause between storms) as one delay, a 1 s "max" that never happened.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const get = async () => (await fetch(`${service.address}/metrics`, { headers: { "accept-encoding": "identity" } })).text();
  // Phases by wall clock: the scraper's samples are sorted into them by their start.
  const phases: { phase: "quiet" | "storm"; from: number; to: number }[] = [];
  const phase = (p: "quiet" | "storm") => phases.push({ phase: p, from: Date.now(), to: Infinity });
  const endPhase = () => {
    const last = phases.at(-1);
    if (last !== undefined) last.to = Date.now();
  };
  const scraper = startScraper(service.address, scrapeMs);
  await Promise.all(clients.map((c, i) => published(c.client, `storm/${i}`)));
  // The first rendering (every connection new) is not a quiet scrape.
  await get();
  phase("quiet");
  await sleep(10_000);
  endPhase();
  for (let round = 1; round <= restarts; round++) {
    phase("storm");
    delay.reset();
    await broker.restart(500);
    const acked = await Promise.all(clients.map((c, i) => published(c.client, `storm/${i}`)));
    // The worst storm's p99 and max.
    figures.loopDelayP99Ms = Math.max(figures.loopDelayP99Ms, delay.percentile(99) / 1e6);
    figures.loopDelayMaxMs = Math.max(figures.loopDelayMaxMs, delay.max / 1e6);
    endPhase();
    if (acked.every(Boolean)) figures.recovered++;
    await sleep(1000);
  }
  figures.rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  delay.disable();
  // Every client published: a connection still shown down after the settle time is wrongly down.
  await sleep(2000);
  const last = await get();
  if (!validExposition(last)) figures.invalid++;
  figures.wronglyDown = [...connectedGauges(last)].filter(([, v]) => v === 0).length;
  const scraped = await scraper.stop();
  figures.invalid += scraped.invalid;
  for (const { at, ms } of scraped.scrapes) {
    const p = phases.find((w) => at >= w.from && at < w.to);
    if (p !== undefined) figures[p.phase].push(ms);
  }
  await stopClients(clients);
  await service.close();
  return figures;
}
