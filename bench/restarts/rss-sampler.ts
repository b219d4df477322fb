/**
 * The measured process's RSS as a monitoring system reads it: /proc/PID/status every `everyMs`,
 * read from the bench's own process, with no forced GC, through the whole run. The readings
 * after two GCs (service-process.ts) say what the service holds once garbage is gone; these say
 * what it shows meanwhile, garbage and V8's pooled pages included.
 */
import { readFileSync } from "node:fs";

/** VmRSS of a /proc/PID/status text, in bytes; undefined when it has none (a kernel thread, a zombie). */
export function vmRssBytes(status: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return m === null ? undefined : Number(m[1]) * 1024;
}

export interface RssSampler {
  /** The readings so far, in bytes, in the order taken. */
  readonly samples: readonly number[];
  /** Ticks so far, a reading taken or not (the process gone). */
  readonly ticks: number;
  /** Stops sampling; the readings. */
  stop(): number[];
}

export function sampleRss(pid: number, everyMs: number): RssSampler {
  const samples: number[] = [];
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/status`, "utf8");
    } catch {
      return; // the process has exited: nothing more to read
    }
    const bytes = vmRssBytes(status);
    if (bytes !== undefined) samples.push(bytes);
  }, everyMs);
  return {
    samples,
    get ticks() {
      return ticks;
    },
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}
