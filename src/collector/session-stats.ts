import { RingBuffer } from "./ring-buffer.js";

/** How many recent session durations the export shows (the seed's `sample_durations`). */
export const SAMPLE_DURATIONS = 20;

/**
 * Running statistics over ended sessions. The seed kept every duration and re-summed the
 * whole list on each drop; count/sum/min/max give the same figures in O(1), because the
 * seed's average is a left-to-right sum divided by the count, which a running sum reproduces.
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

  get average(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
}
