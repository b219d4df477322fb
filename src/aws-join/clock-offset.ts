/**
 * The offset between AWS IoT Core's clock and the client's (AWS minus client, ms), estimated from
 * connects paired by the join: a connect is the sharpest moment both sides see (the client's
 * CONNACK and AWS's `connected` event are milliseconds apart). The median of the newest pairs,
 * so a few wrong or slow pairs do not move it.
 */
export class ClockOffset {
  private readonly samples: number[] = [];
  private next = 0;
  private cached: number | null = null;

  constructor(private readonly keep = 31) {}

  /** One paired connect: AWS's `connected` timestamp minus the client's success time. */
  add(deltaMs: number): void {
    if (this.samples.length < this.keep) this.samples.push(deltaMs);
    else this.samples[this.next] = deltaMs;
    this.next = (this.next + 1) % this.keep;
    this.cached = null;
  }

  /** Forgets one sample (a pair that a better-fitting connect took over). */
  remove(deltaMs: number): void {
    const i = this.samples.indexOf(deltaMs);
    if (i < 0) return;
    this.samples.splice(i, 1);
    this.next = this.samples.length % this.keep;
    this.cached = null;
  }

  get count(): number {
    return this.samples.length;
  }

  /** The estimate (ms), or null before any pair. */
  get ms(): number | null {
    if (this.samples.length === 0) return null;
    if (this.cached === null) {
      const s = [...this.samples].sort((a, b) => a - b);
      const mid = s.length >> 1;
      this.cached = s.length % 2 ? (s[mid] as number) : Math.round(((s[mid - 1] as number) + (s[mid] as number)) / 2);
    }
    return this.cached;
  }

  clear(): void {
    this.samples.length = 0;
    this.next = 0;
    this.cached = null;
  }
}

/**
 * Before any pair: the offset most pairs agree on. Every (connect, success) pair within
 * `maxSkewMs` of each other proposes its difference; the largest group of proposals within
 * `toleranceMs` of each other wins (ties: the smallest offset), and its median is returned.
 * Null when nothing is within reach.
 */
export function bootstrapOffset(awsTimes: readonly number[], clientTimes: readonly number[], maxSkewMs: number, toleranceMs: number): number | null {
  const deltas: number[] = [];
  for (const a of awsTimes) for (const c of clientTimes) if (Math.abs(a - c) <= maxSkewMs) deltas.push(a - c);
  if (deltas.length === 0) return null;
  deltas.sort((x, y) => x - y);
  let best = { from: 0, to: 0 };
  for (let i = 0, j = 0; j < deltas.length; j++) {
    while ((deltas[j] as number) - (deltas[i] as number) > toleranceMs) i++;
    const better = j - i > best.to - best.from || (j - i === best.to - best.from && Math.abs(deltas[i] as number) < Math.abs(deltas[best.from] as number));
    if (better) best = { from: i, to: j };
  }
  return deltas[(best.from + best.to) >> 1] as number;
}
