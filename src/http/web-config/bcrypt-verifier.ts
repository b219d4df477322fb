import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export type Verdict = "ok" | "fail" | "busy";

interface Job {
  password: string;
  hash: string;
  source: string;
  resolve: (verdict: Verdict) => void;
}

export interface VerifierLimits {
  /** Comparisons waiting, all sources together. */
  maxQueued?: number;
  /** Comparisons waiting from one source (address), so one place cannot fill the queue. */
  maxQueuedPerSource?: number;
}

// bcryptjs is pure JavaScript: on the event loop each comparison (~100 ms at cost 10) would stall
// every other request. The worker is inline (eval) so that it runs from src/ under the tests and
// from dist/ alike; it loads bcryptjs by the path this module resolves.
const BCRYPTJS = createRequire(import.meta.url).resolve("bcryptjs");
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const bcrypt = require(${JSON.stringify(BCRYPTJS)});
parentPort.on("message", ({ password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage(ok);
});
`;

/**
 * bcrypt comparisons on one worker thread, one at a time (as exporter-toolkit holds a mutex).
 * Waiting comparisons are queued per source address and served round robin, so a scraper's first
 * comparison waits for at most one turn of each other source, however many guesses a flood from
 * one address sends. Each source may have `maxQueuedPerSource` waiting and all of them `maxQueued`;
 * beyond that a comparison is refused at once ("busy"). When the whole queue is full, a newcomer
 * takes the newest place of the source holding the most, while that source holds more than one:
 * a flood from a few places cannot lock out a new one.
 */
export class BcryptVerifier {
  private worker: Worker | undefined;
  /** Per source, in turn order: the source served next is first. */
  private readonly queues = new Map<string, Job[]>();
  private queued = 0;
  private running: Job | undefined;
  private closed = false;
  private readonly maxQueued: number;
  private readonly maxPerSource: number;

  constructor(limits: VerifierLimits | number = {}) {
    const l = typeof limits === "number" ? { maxQueued: limits } : limits;
    this.maxQueued = Math.max(0, l.maxQueued ?? 32);
    this.maxPerSource = Math.max(0, Math.min(this.maxQueued, l.maxQueuedPerSource ?? 4));
  }

  /** How many comparisons wait or run; the tests read it to know the queue is full. */
  get pending(): number {
    return this.queued + (this.running === undefined ? 0 : 1);
  }

  verify(password: string, hash: string, source = ""): Promise<Verdict> {
    if (this.closed) return Promise.resolve("fail");
    const own = this.queues.get(source);
    if (this.running !== undefined && !this.admit(own?.length ?? 0)) return Promise.resolve("busy");
    return new Promise<Verdict>((resolve) => {
      const job = { password, hash, source, resolve };
      if (own === undefined) this.queues.set(source, [job]);
      else own.push(job);
      this.queued += 1;
      this.next();
    });
  }

  /** Ends the worker; waiting comparisons fail (closed means denied, never allowed). */
  async close(): Promise<void> {
    this.closed = true;
    for (const jobs of this.queues.values()) for (const job of jobs) job.resolve("fail");
    this.queues.clear();
    this.queued = 0;
    this.running?.resolve("fail");
    this.running = undefined;
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  /** Whether a source holding `own` waiting comparisons may queue one more (making room if fair). */
  private admit(own: number): boolean {
    if (own >= this.maxPerSource) return false;
    if (this.queued < this.maxQueued) return true;
    let largest: Job[] | undefined;
    for (const jobs of this.queues.values()) if (largest === undefined || jobs.length > largest.length) largest = jobs;
    if (largest === undefined || largest.length <= own + 1) return false;
    largest.pop()?.resolve("busy");
    this.queued -= 1;
    return true;
  }

  private next(): void {
    if (this.running !== undefined) return;
    const first = this.queues.entries().next();
    if (first.done === true) return;
    const [source, jobs] = first.value;
    const job = jobs.shift();
    this.queues.delete(source);
    // The source goes to the back of the turn order if it still has comparisons waiting.
    if (jobs.length > 0) this.queues.set(source, jobs);
    if (job === undefined) return;
    this.queued -= 1;
    this.running = job;
    const worker = this.ensureWorker();
    worker.ref();
    worker.postMessage({ password: job.password, hash: job.hash });
  }

  private finish(verdict: Verdict): void {
    const job = this.running;
    this.running = undefined;
    job?.resolve(verdict);
    if (this.queued === 0) this.worker?.unref();
    this.next();
  }

  private ensureWorker(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on("message", (ok: boolean) => this.finish(ok === true ? "ok" : "fail"));
    // A crashed worker denies the comparison it held and is replaced on the next one.
    worker.on("error", () => {
      this.worker = undefined;
      this.finish("fail");
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
