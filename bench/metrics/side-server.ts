/**
 * One side of the `/metrics` benchmark in a process of its own, so that neither side's garbage or
 * stalls land on the other: `node side-server.js SIDE CONNECTIONS ERROR_NAMES MAX_AGE_MS [BYTES]`.
 * SIDE is `ours` (the library's collectors, instruments and Fastify plugin, as an app embeds them),
 * `prom` (prom-client as its users write it, behind the same cache policy) or `ceiling` (a bare
 * Fastify route sending pre-built buffers: what the HTTP stack alone manages). The ceiling's
 * BYTES is either a size, or the URL of ours' `/metrics`, whose plain and gzip bodies it then
 * sends byte for byte, with the same headers (fetched again on `/bench/refresh`).
 * Prints `{"port":N}` when it listens. The parent drives it over HTTP under /bench/.
 */
// Fastify handlers and the sides' close() are async to have one shape, awaited or not.
/* eslint-disable @typescript-eslint/require-await */
import { get } from "node:http";
import { gzip as gzipCallback } from "node:zlib";
import { promisify } from "node:util";
import Fastify, { type FastifyInstance } from "fastify";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { mqttDiagnostics } from "../../src/http/plugin.js";
import { createTelemetry } from "../../src/metrics/telemetry.js";
import { startFeed, stallMeter, type EventFeed } from "./event-feed.js";
import { promClientApp } from "./prom-client-app.js";

const gzip = promisify(gzipCallback);
const [side = "ours", connectionsArg = "1", errorNamesArg = "5", maxAgeArg = "1000", bytesArg = "0"] = process.argv.slice(2);
const CONNECTIONS = Number(connectionsArg);
const ERROR_NAMES = Number(errorNamesArg);
const MAX_AGE_MS = Number(maxAgeArg);
const names = Array.from({ length: CONNECTIONS }, (_, i) => `device-${i}`);
const errorName = (k: number) => `AWS_ERROR_SYNTHETIC_${k % ERROR_NAMES}`;
const silent = { warn: () => undefined, error: () => undefined };

interface Side {
  /** The k-th event of the shared sequence: round robin over the connections, a drop then its success. */
  event(k: number): void;
  close(): Promise<void>;
}

/** prom-client's bytes behind the policy our exposition cache follows (max age, "changed", one render at a time, gzip cached). */
function cached(render: () => Promise<string>, version: () => number) {
  let entry: { bytes: Buffer; zipped?: Promise<Buffer>; version: number; at: number } | undefined;
  let pending: Promise<NonNullable<typeof entry>> | undefined;
  return async (wantsGzip: boolean) => {
    const v = version();
    if (entry === undefined || entry.version !== v || Date.now() - entry.at >= MAX_AGE_MS) {
      const at = Date.now();
      pending ??= render().then((text) => {
        pending = undefined;
        return (entry = { bytes: Buffer.from(text, "utf8"), version: v, at });
      });
      entry = await pending;
    }
    const e = entry;
    return wantsGzip ? ((e.zipped ??= gzip(e.bytes)), { body: await e.zipped, gzip: true }) : { body: e.bytes, gzip: false };
  };
}

const wantsGzip = (header: string | undefined) => header !== undefined && /\bgzip\b/.test(header);

async function ours(app: FastifyInstance): Promise<Side> {
  const registry = new CollectorRegistry({ logger: silent, maxEventsRetained: 100 });
  const telemetry = createTelemetry({ registry, maxConnections: CONNECTIONS, cacheMaxAgeMs: MAX_AGE_MS });
  await app.register(mqttDiagnostics, { registry, telemetry });
  const all = names.map((n) => registry.getOrCreate(n));
  for (const c of all) {
    c.recordConnectionAttempt();
    c.recordConnectionSuccess();
  }
  return {
    event(k) {
      const c = all[Math.floor(k / 2) % all.length];
      if (c === undefined) return;
      if (k % 2 === 0) c.recordConnectionDrop({ error: { error_name: errorName(k / 2), error_code: 1, message: "m" } });
      else c.recordConnectionSuccess({ eventType: "resumed" });
    },
    close: () => telemetry.shutdown(),
  };
}

function prom(app: FastifyInstance): Side {
  const p = promClientApp(names);
  for (let i = 0; i < names.length; i++) {
    p.attempt(i);
    p.success(i, Date.now(), "connected");
  }
  const bytes = cached(
    () => p.reg.metrics(),
    () => p.version,
  );
  app.get("/metrics", async (request, reply) => {
    const { body, gzip: zipped } = await bytes(wantsGzip(request.headers["accept-encoding"]));
    if (zipped) reply.header("content-encoding", "gzip");
    return reply.type(p.reg.contentType).header("vary", "accept-encoding").send(body);
  });
  return {
    event(k) {
      const i = Math.floor(k / 2);
      if (k % 2 === 0) p.drop(i, Date.now(), errorName(i));
      else p.success(i, Date.now());
    },
    close: async () => undefined,
  };
}

/** One GET's body, as sent (node:http: fetch would decompress it). */
function download(url: string, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(Buffer.concat(chunks)));
    }).on("error", reject);
  });
}

async function ceiling(app: FastifyInstance): Promise<Side> {
  let body: Buffer;
  let zipped: Buffer;
  if (bytesArg.startsWith("http")) {
    const fetchBodies = async () => {
      body = await download(bytesArg, {});
      zipped = await download(bytesArg, { "accept-encoding": "gzip" });
      return { bytes: body.length, gzipBytes: zipped.length };
    };
    await fetchBodies();
    // Ours' bodies grow as its counters do (10k events/s for a minute adds digits to every
    // series, and digits compress worse than names): the parent has the ceiling fetch them
    // again before each of its cells, so that both send the same bytes.
    app.get("/bench/refresh", fetchBodies);
  } else {
    const line = Buffer.from('mqtt_client_connections_total{connection="device-0",event_type="resumed"} 1\n');
    body = Buffer.alloc(Number(bytesArg), line);
    zipped = await gzip(body);
  }
  const type = "text/plain; version=0.0.4; charset=utf-8";
  app.get("/metrics", async (request, reply) => {
    if (wantsGzip(request.headers["accept-encoding"])) reply.header("content-encoding", "gzip");
    return reply
      .type(type)
      .header("vary", "accept-encoding")
      .send(wantsGzip(request.headers["accept-encoding"]) ? zipped : body);
  });
  return { event: () => undefined, close: async () => undefined };
}

const app = Fastify();
const s = side === "ours" ? await ours(app) : side === "prom" ? prom(app) : await ceiling(app);
const stall = stallMeter();
let feed: EventFeed | undefined;
let next = CONNECTIONS * 2 * ERROR_NAMES;
// Set-up as the bench always had it: every connection has dropped once with each error name.
for (let k = 0; k < next; k++) s.event(k);
const gc = (globalThis as { gc?: () => void }).gc;
app.get<{ Querystring: { rate?: string } }>("/bench/feed/start", async (request) => {
  const base = next;
  feed = startFeed((k) => s.event(base + k), Number(request.query.rate ?? "10000"));
  return {};
});
app.get("/bench/feed/stop", async () => {
  const r = feed?.stop() ?? { delivered: 0, seconds: 0 };
  next += r.delivered;
  feed = undefined;
  return r;
});
// Every connection (or the first) records one more drop and success: the next scrape is a miss.
app.get<{ Querystring: { all?: string } }>("/bench/change", async (request) => {
  const n = request.query.all === "0" ? 2 : CONNECTIONS * 2;
  for (let k = 0; k < n; k++) s.event(next + k);
  next += n;
  return {};
});
// The server's CPU (all its threads, zlib's included), read around a cell: CPU per request is less load-sensitive than req/s.
app.get("/bench/cpu", async () => {
  const u = process.cpuUsage();
  return { micros: u.user + u.system };
});
app.get("/bench/stall/reset", async () => (stall.reset(), {}));
app.get("/bench/stall", async () => ({ maxMs: stall.max() }));
app.get("/bench/memory", async () => {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
});
app.addHook("onClose", async () => (stall.stop(), await s.close()));
// Every side listens after one turn of the event loop, as a service does after its start-up's I/O.
// A server that starts listening in the entry module's first turn (before any callback has run) was
// measured to keep a process.nextTick 7-9x as costly for the process's life (600 against 65-80 ns;
// HTTP requests make ~7 each): about 6 us more per request. The ceiling waited for its downloads
// and escaped it, ours and prom-client did not.
await new Promise((resolve) => setImmediate(resolve));
const address = await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(address).port) })}\n`);
process.on("SIGTERM", () => void app.close().then(() => process.exit(0)));
