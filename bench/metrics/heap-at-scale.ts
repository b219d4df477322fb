/**
 * The `/metrics` bench's heap figure on its own, for comparing builds: starts one side (the
 * bench's side server, of this build or of the build whose `dist` directory is given) in a
 * process of its own at CONNECTIONS connections, has every connection record ROUNDS more drops
 * and successes (every ring of the side's 100 retained events full) with a plain and a gzip
 * scrape every 10 rounds, then reads its heap and RSS after two GCs. Prints one JSON line.
 *
 *   node dist/bench/metrics/heap-at-scale.js [ours|prom] [CONNECTIONS=1000] [ROUNDS=150] [DIST_DIR]
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SideName, SideProcess } from "./harness.js";

const [side = "ours", connectionsArg = "1000", roundsArg = "150", dist] = process.argv.slice(2);
const harness = dist === undefined ? new URL("./harness.js", import.meta.url) : pathToFileURL(`${dist}/bench/metrics/harness.js`);
const { startSide } = (await import(harness.href)) as {
  startSide: (side: SideName, connections: number, errorNames: number, maxAgeMs: number) => Promise<SideProcess>;
};

const s = await startSide(side as SideName, Number(connectionsArg), 5, 1000);
try {
  const rounds = Number(roundsArg);
  for (let r = 0; r < rounds; r++) {
    await s.get("/bench/change?all=1");
    if (r % 10 === 9) {
      await s.get("/metrics");
      await s.get("/metrics", { "accept-encoding": "gzip" });
    }
  }
  const m = (await s.get<{ rss: number; heapUsed: number }>("/bench/memory")).body;
  const mib = (n: number) => Number((n / 2 ** 20).toFixed(1));
  const build = fileURLToPath(harness).replace(/\/bench\/metrics\/harness\.js$/, "");
  process.stdout.write(`${JSON.stringify({ side, connections: Number(connectionsArg), rounds, heapUsedMiB: mib(m.heapUsed), rssMiB: mib(m.rss), build })}\n`);
} finally {
  await s.close();
}
