import type { Clock } from "../clock.js";

/**
 * Events admitted per client ID and second, after a burst. AWS IoT Core allows one CONNECT per
 * second per client ID, and each connection makes at most two lifecycle events (`connected`,
 * `disconnected`, or one `connect_failed`): real traffic stays far below this.
 */
export const LIFECYCLE_EVENTS_PER_SECOND = 10;
export const LIFECYCLE_BURST = 100;
/** AWS's lifecycle events are a few hundred bytes; anything much larger is not one. */
export const MAX_LIFECYCLE_EVENT_BYTES = 4096;

interface Bucket {
  tokens: number;
  at: number;
  dropped: number;
}

/**
 * The observer's intake: a token bucket per watched client ID, so a flood of events (forged on a
 * broker that lets anyone publish, or a storm) costs a counter increment each beyond the bucket,
 * never a parse or a join, and cannot crowd out the other client IDs' events.
 */
export class LifecycleIntake {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly perSecond = LIFECYCLE_EVENTS_PER_SECOND,
    private readonly burst = LIFECYCLE_BURST,
  ) {}

  /** Whether one more event for this client ID is taken now; a refused one is counted. */
  admit(clientId: string): boolean {
    const now = this.clock.now();
    let b = this.buckets.get(clientId);
    if (b === undefined) {
      b = { tokens: this.burst, at: now, dropped: 0 };
      this.buckets.set(clientId, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + (Math.max(0, now - b.at) * this.perSecond) / 1000);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    b.dropped++;
    return false;
  }

  /** Counts an event refused for another reason (oversized) with the client ID's drops. */
  refuse(clientId: string): void {
    const b = this.buckets.get(clientId) ?? { tokens: this.burst, at: this.clock.now(), dropped: 0 };
    b.dropped++;
    this.buckets.set(clientId, b);
  }

  /** Events dropped so far for this client ID. */
  dropped(clientId: string): number {
    return this.buckets.get(clientId)?.dropped ?? 0;
  }
}
