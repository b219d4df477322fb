import { RingBuffer } from "../ring-buffer.js";

/** How many recent session durations the export shows (the original's `sample_durations`). */
export const SAMPLE_DURATIONS = 20;

/**
 * Running statistics over ended sessions: the one place session lengths are kept (longest,
 * shortest and average are read from here). The original module kept every duration and
 * re-summed the whole list on each drop; count/sum/min/max give the same figures in O(1),
 * because its average is a left-to-right sum divided by the count, which a running sum reproduces.
 */
export class SessionStats {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = 0;
  readonly recent = new RingBuffer<number>(SAMPLE_DURATIONS);

  add(durationSeconds: number): void {
    this.count++;
    this.sum += durationSeconds;
    if (durationSeconds > this.max) this.max = durationSeconds;
    if (durationSeconds < this.min) this.min = durationSeconds;
    this.recent.push(durationSeconds);
  }

  /** Statistics as a checkpoint carried them. */
  static from(saved: { count: number; sum: number; min: number; max: number; recent: readonly number[] }): SessionStats {
    const stats = new SessionStats();
    stats.count = saved.count;
    stats.sum = saved.sum;
    stats.min = saved.min;
    stats.max = saved.max;
    for (const d of saved.recent) stats.recent.push(d);
    return stats;
  }

  get average(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
}
