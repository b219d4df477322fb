/**
 * The storm bench's load side, run in a child process (`fork`) so that neither the scraper's
 * fetch nor the exposition's check runs on the event loop it measures:
 *  - `scrape URL MS`: GET URL/metrics every MS ms, gzip accepted as Prometheus asks for it, each
 *    timed from request to last (decompressed) byte and checked line by line, until the parent sends "stop"; then sends back the scrapes
 *    (start as Date.now(), latency) and how many expositions did not parse.
 *  - `first URL`: /healthz every 10 ms while one /metrics is fetched; sends back both timings.
 */
import { performance } from "node:perf_hooks";

export interface Scrape {
  /** Date.now() when the request was sent (the parent's clock: same machine). */
  at: number;
  ms: number;
}

export interface ScrapeReport {
  kind: "scrape";
  scrapes: Scrape[];
  invalid: number;
}

export interface FirstReport {
  kind: "first";
  firstScrapeMs: number;
  bytes: number;
  samples: number;
  failed?: string;
  healthz: number[];
}

const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+$/;
/** Every sample line matches the text format's shape. */
export const validExposition = (text: string) => text.split("\n").every((l) => l === "" || l.startsWith("#") || SAMPLE.test(l));

const since = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** As Prometheus scrapes: gzip accepted (fetch decompresses it); BENCH_SCRAPE_ENCODING=identity for plain text. */
const ENCODING = process.env["BENCH_SCRAPE_ENCODING"] ?? "gzip";
const metrics = (url: string) => fetch(`${url}/metrics`, { headers: { "accept-encoding": ENCODING } }).then((r) => r.text());

async function scrape(url: string, everyMs: number): Promise<ScrapeReport> {
  let stop = false;
  process.once("message", () => (stop = true));
  const report: ScrapeReport = { kind: "scrape", scrapes: [], invalid: 0 };
  while (!stop) {
    const at = Date.now();
    const t = performance.now();
    const text = await metrics(url)
      .catch(() => metrics(url))
      .catch(() => "");
    report.scrapes.push({ at, ms: since(t) });
    if (!validExposition(text)) report.invalid++;
    await sleep(everyMs);
  }
  return report;
}

async function first(url: string): Promise<FirstReport> {
  let rendering = true;
  const healthz: number[] = [];
  const prober = (async () => {
    while (rendering) {
      const t = performance.now();
      await fetch(`${url}/healthz`).then(
        (r) => r.text(),
        () => undefined,
      );
      healthz.push(since(t));
      await sleep(10);
    }
  })();
  await sleep(20);
  const t0 = performance.now();
  // Bytes, decoded once the probing stopped: decoding 17 MB would delay this process's probes.
  // A scrape longer than the server's timeouts is cut: say so rather than stop the bench.
  const bytes = await fetch(`${url}/metrics`, { headers: { "accept-encoding": "identity" } }).then(
    async (r) => Buffer.from(await r.arrayBuffer()),
    (e: Error) => e,
  );
  const firstScrapeMs = since(t0);
  rendering = false;
  await prober;
  const body = bytes instanceof Error ? `failed: ${bytes.message}` : bytes.toString("utf8");
  return {
    kind: "first",
    firstScrapeMs,
    bytes: Buffer.byteLength(body),
    samples: body.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length,
    ...(body.startsWith("failed: ") ? { failed: body } : {}),
    healthz,
  };
}

const [mode, url, everyMs] = process.argv.slice(2);
if (process.send !== undefined && url !== undefined) {
  const report = mode === "first" ? await first(url) : await scrape(url, Number(everyMs ?? 50));
  process.send(report, () => process.exit(0));
}
