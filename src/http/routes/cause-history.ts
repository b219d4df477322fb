/** One sample of the fleet's devices by first cause. */
export interface CauseSample {
  /** Unix milliseconds. */
  at: number;
  counts: ReadonlyMap<string, number>;
}

/** Samples kept by default: six hours at one a minute. */
export const CAUSE_HISTORY_SAMPLES = 360;
/** How often the fleet service samples (the page says so). */
export const CAUSE_HISTORY_INTERVAL_MS = 60_000;

/**
 * The fleet's devices by cause over time, for the `/fleet` page: a bounded ring of samples kept
 * by this replica since it started (Prometheus keeps the long history: `mqtt_fleet_devices`).
 * Sampled by the caller's timer with the caller's clock.
 */
export class CauseHistory {
  private readonly ring: CauseSample[] = [];
  private next = 0;

  constructor(
    readonly capacity = CAUSE_HISTORY_SAMPLES,
    readonly intervalMs = CAUSE_HISTORY_INTERVAL_MS,
  ) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError("CauseHistory: capacity must be an integer of at least 2");
  }

  /** Records the counts as of `at` (copied: the caller's map goes on changing). */
  sample(at: number, counts: ReadonlyMap<string, number>): void {
    const s: CauseSample = { at, counts: new Map(counts) };
    if (this.ring.length < this.capacity) this.ring.push(s);
    else this.ring[this.next] = s;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  samples(): CauseSample[] {
    return this.ring.length < this.capacity ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}
