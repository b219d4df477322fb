/**
 * When a listener runs. `derive` listeners (the instruments, the diagnosis) build figures from
 * events and see every event, restored ones included: that is how histograms are rebuilt from the
 * journal at start-up. `persist` listeners (the journal writer) keep events and see only new
 * ones: a restored event is already in the journal. Derive listeners run first, whatever order
 * they were attached in, so anything a persister triggers (a rotation's checkpoint) sees the
 * figures of the event it is writing.
 */
export type Phase = "derive" | "persist";

export interface ListenOptions {
  phase?: Phase;
}

/**
 * The listener order, enforced here rather than left to the order of calls at start-up. A
 * throwing listener is reported and the others still run.
 */
export class ListenerBus<E> {
  private derive: ((event: E) => void)[] = [];
  private persist: ((event: E) => void)[] = [];
  private restored = 0;

  constructor(
    private readonly onError: (err: unknown) => void,
    /** Told when a derive listener attaches after restored events it will never see. */
    private readonly onLate: (missed: number) => void = () => undefined,
  ) {}

  add(listener: (event: E) => void, options: ListenOptions = {}): () => void {
    const phase = options.phase ?? "derive";
    if (phase === "derive" && this.restored > 0) this.onLate(this.restored);
    this[phase] = [...this[phase], listener];
    return () => {
      this[phase] = this[phase].filter((l) => l !== listener);
    };
  }

  /** True when any listener would see an event (so the caller can skip building it). */
  wants(restored: boolean): boolean {
    return this.derive.length > 0 || (!restored && this.persist.length > 0);
  }

  emit(event: E, restored = false): void {
    if (restored) this.restored++;
    for (const listener of this.derive) this.call(listener, event);
    if (restored) return;
    for (const listener of this.persist) this.call(listener, event);
  }

  private call(listener: (event: E) => void, event: E): void {
    try {
      listener(event);
    } catch (err) {
      this.onError(err);
    }
  }
}
