import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export type Verdict = "ok" | "fail" | "busy";

interface Job {
  password: string;
  hash: string;
  resolve: (verdict: Verdict) => void;
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
 * bcrypt comparisons on one worker thread, one at a time (as exporter-toolkit holds a mutex), with
 * at most `maxQueued` waiting: beyond that a comparison is refused at once ("busy") rather than
 * queued, so a flood of wrong passwords costs the server a bounded backlog and answers fast.
 */
export class BcryptVerifier {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private closed = false;

  constructor(private readonly maxQueued = 8) {}

  /** How many comparisons wait or run; the tests read it to know the queue is full. */
  get pending(): number {
    return this.queue.length + (this.running === undefined ? 0 : 1);
  }

  verify(password: string, hash: string): Promise<Verdict> {
    if (this.closed) return Promise.resolve("fail");
    if (this.running !== undefined && this.queue.length >= this.maxQueued) return Promise.resolve("busy");
    return new Promise<Verdict>((resolve) => {
      this.queue.push({ password, hash, resolve });
      this.next();
    });
  }

  /** Ends the worker; waiting comparisons fail (closed means denied, never allowed). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve("fail");
    this.running?.resolve("fail");
    this.running = undefined;
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private next(): void {
    if (this.running !== undefined) return;
    const job = this.queue.shift();
    if (job === undefined) return;
    this.running = job;
    const worker = this.ensureWorker();
    worker.ref();
    worker.postMessage({ password: job.password, hash: job.hash });
  }

  private finish(verdict: Verdict): void {
    const job = this.running;
    this.running = undefined;
    job?.resolve(verdict);
    if (this.queue.length === 0) this.worker?.unref();
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
