/**
 * Applies an SDK client's successes and drops in an order its state machine allows, whatever
 * order their callbacks arrive in.
 *
 * Why: aws-crt delivers each callback type through its own N-API thread-safe function. Behind a
 * blocked event loop, every pending queue is drained in one pass, in the order the queues were
 * created (success before disconnection), so "drop, then reconnected" arrives as "reconnected,
 * then drop" and a live session would read as down. The SDK's own guarantees are used instead of
 * arrival order: each callback type is delivered in order (FIFO per queue), and a disconnection
 * only ever ends a session that a success began (aws-c-mqtt emits a disconnection only from the
 * connected state, a failure otherwise). So a success seen while a session is still open means its
 * drop is still queued, and a drop seen with no open session means its success is: each waits for
 * the other, and the final state is the client's (open sessions = successes - disconnections).
 */
export class CallbackOrder {
  private open = false;
  private stopped = false;
  private readonly waitingSuccesses: (() => void)[] = [];
  private readonly waitingDrops: (() => void)[] = [];

  /** True while the client has a session, as far as delivered callbacks show. */
  get connected(): boolean {
    return this.open;
  }

  success(apply: () => void): void {
    if (this.open) {
      this.waitingSuccesses.push(apply);
      return;
    }
    this.open = true;
    this.stopped = false;
    apply();
    this.release();
  }

  /** `apply` records the drop; it may do nothing (a disconnection caused by the user's stop). */
  drop(apply: () => void): void {
    if (!this.open) {
      // After a stop no success from before it can be pending, so this drop ended a session the
      // stop already ended (its queue is drained after the `stopped` one).
      if (!this.stopped) this.waitingDrops.push(apply);
      return;
    }
    this.open = false;
    apply();
    this.release();
  }

  /** The client stopped or is no longer watched: what waits is forgotten, and late drops too. */
  reset(): void {
    this.open = false;
    this.stopped = true;
    this.waitingSuccesses.length = 0;
    this.waitingDrops.length = 0;
  }

  private release(): void {
    const next = this.open ? this.waitingDrops.shift() : this.waitingSuccesses.shift();
    if (next === undefined) return;
    if (this.open) this.drop(next);
    else this.success(next);
  }
}
