/**
 * The `/metrics` bench's heap figure on its own, for comparing builds: starts one side
 * (side-server.js, the bench's own, or another build's given by path) in a process of its own at
 * CONNECTIONS connections, has every connection record ROUNDS more drops and successes (every
 * ring of the side's 100 retained events full) with a plain and a gzip scrape every 10 rounds,
 * then reads its heap and RSS after two GCs. Prints one JSON line.
 *
 *   node dist/bench/metrics/heap-at-scale.js [ours|prom] [CONNECTIONS=1000] [ROUNDS=150] [SIDE_SERVER_JS]
 */
import { spawn } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";

const [side = "ours", connectionsArg = "1000", roundsArg = "150", server = fileURLToPath(new URL("./side-server.js", import.meta.url))] = process.argv.slice(2);

const child = spawn(process.execPath, ["--expose-gc", server, side, connectionsArg, "5", "1000"], { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise<number>((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    const line = /^\{"port":(\d+)\}$/m.exec(out);
    if (line !== null) resolve(Number(line[1]));
  });
  child.once("exit", (code) => reject(new Error(`${side} side exited (${code}) before listening`)));
});

function get(path: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`http://127.0.0.1:${port}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    });
    req.on("error", reject);
    req.end();
  });
}

try {
  const rounds = Number(roundsArg);
  for (let r = 0; r < rounds; r++) {
    await get("/bench/change?all=1");
    if (r % 10 === 9) {
      await get("/metrics");
      await get("/metrics", { "accept-encoding": "gzip" });
    }
  }
  const m = JSON.parse(await get("/bench/memory")) as { rss: number; heapUsed: number };
  const mib = (n: number) => Number((n / 2 ** 20).toFixed(1));
  process.stdout.write(`${JSON.stringify({ side, connections: Number(connectionsArg), rounds, heapUsedMiB: mib(m.heapUsed), rssMiB: mib(m.rss), server })}\n`);
} finally {
  child.kill("SIGTERM");
}
