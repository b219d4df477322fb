/** Load generation and statistics shared by the metrics benchmarks. */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import Fastify from "fastify";

const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

export interface Load {
  rps: number;
  p99: number;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** autocannon as a child process: in this one it would share the event loop with the server. */
export async function cannon(url: string, seconds: number): Promise<Load> {
  const { stdout } = await promisify(execFile)(process.execPath, [AUTOCANNON, "-c", "10", "-d", String(seconds), "-j", url], { encoding: "utf8", maxBuffer: 1 << 26 });
  const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p99: number }; errors: number; non2xx: number };
  if (r.errors > 0 || r.non2xx > 0) throw new Error(`${url}: ${r.errors} errors, ${r.non2xx} non-2xx`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

/** Runs `event` 100 times every 10 ms (10k/s) while `fn` runs. */
export async function withEvents<T>(event: () => void, fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    for (let i = 0; i < 100; i++) event();
  }, 10);
  try {
    await new Promise((r) => setTimeout(r, 50));
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

/** The same bare Fastify route on both sides, so that only the exposition differs. */
export async function serve(bytes: () => Promise<Buffer>): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify();
  app.get("/metrics", async (_req, reply) => reply.type("text/plain; version=0.0.4; charset=utf-8").send(await bytes()));
  const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/metrics`;
  return { url, close: () => app.close() };
}

/**
 * prom-client behind the policy our cache follows: cached bytes while no collector recorded
 * anything and younger than `maxAgeMs`, one shared rendering for concurrent requests. (Ours
 * re-renders only the connections that changed; prom-client renders everything.)
 */
export function sameCachePolicy(render: () => Promise<string>, version: () => number, maxAgeMs: number): () => Promise<Buffer> {
  let cached: { bytes: Buffer; version: number; at: number } | undefined;
  let pending: Promise<Buffer> | undefined;
  return () => {
    const v = version();
    if (cached !== undefined && cached.version === v && Date.now() - cached.at < maxAgeMs) return Promise.resolve(cached.bytes);
    const at = Date.now();
    pending ??= render().then((text) => {
      cached = { bytes: Buffer.from(text, "utf8"), version: v, at };
      pending = undefined;
      return cached.bytes;
    });
    return pending;
  };
}

/** The longest the event loop was blocked while `fn` ran (ms), sampled every millisecond. */
export async function longestStall(fn: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 5));
  last = performance.now();
  max = 0;
  await fn();
  await new Promise((r) => setTimeout(r, 2));
  clearInterval(timer);
  return max;
}
