import type { LifecycleSink } from "./broker-publisher.js";

export interface Unreliability {
  /** Each event leaves this much later (ms): AWS's events can arrive after the client noticed. */
  delayMs?: number;
  /** Each event is sent twice: "You might receive duplicate messages." */
  duplicate?: boolean;
  /** Events are held in pairs and sent second first: "Lifecycle messages might be sent out of order." */
  reorder?: boolean;
}

/**
 * Delivers lifecycle events the way AWS IoT Core's "Lifecycle events" page warns they may come
 * (https://docs.aws.amazon.com/iot/latest/developerguide/life-cycle-events.html): late, twice and
 * out of order, so a consumer's join can be tested against it.
 */
export class UnreliableSink implements LifecycleSink {
  private held: [string, string] | undefined;
  private readonly waiting = new Map<NodeJS.Timeout, [string, string]>();

  constructor(
    private readonly inner: LifecycleSink,
    private readonly how: Unreliability,
  ) {}

  publish(topic: string, payload: string): void {
    if (this.how.reorder) {
      const first = this.held;
      if (first === undefined) {
        this.held = [topic, payload];
        return;
      }
      this.held = undefined;
      this.later(topic, payload);
      this.later(...first);
      return;
    }
    this.later(topic, payload);
  }

  /** Sends at once what is still waiting or held back (an odd event out when reordering), then closes. */
  async close(): Promise<void> {
    for (const [t, event] of this.waiting) {
      clearTimeout(t);
      this.send(...event);
    }
    this.waiting.clear();
    if (this.held !== undefined) this.send(...this.held);
    this.held = undefined;
    await this.inner.close();
  }

  private later(topic: string, payload: string): void {
    const delay = this.how.delayMs ?? 0;
    if (delay <= 0) {
      this.send(topic, payload);
      return;
    }
    const t = setTimeout(() => {
      this.waiting.delete(t);
      this.send(topic, payload);
    }, delay);
    this.waiting.set(t, [topic, payload]);
  }

  private send(topic: string, payload: string): void {
    this.inner.publish(topic, payload);
    if (this.how.duplicate) this.inner.publish(topic, payload);
  }
}
