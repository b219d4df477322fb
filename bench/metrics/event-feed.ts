/**
 * Events at a fixed rate, delivered on a schedule: at each tick every event that fell due since the
 * start is delivered, so a stalled event loop receives the events it missed in a burst afterwards
 * (as the SDK's native callbacks arrive), none is skipped, and `delivered` says how many each side
 * really received. A plain setInterval instead drops whatever falls due during a stall, and the
 * slower side then receives fewer events: that was no longer like for like.
 */
export interface EventFeed {
  readonly delivered: number;
  /** Stops the feed; returns the events delivered and the seconds they were delivered over. */
  stop(): { delivered: number; seconds: number };
}

export function startFeed(deliver: (k: number) => void, perSecond: number, tickMs = 10): EventFeed {
  const t0 = performance.now();
  let delivered = 0;
  /** Delivers what fell due; returns the seconds since the start it read. */
  const tick = () => {
    const seconds = (performance.now() - t0) / 1000;
    const due = Math.floor(seconds * perSecond);
    while (delivered < due) deliver(delivered++);
    return seconds;
  };
  const timer = setInterval(tick, tickMs);
  return {
    get delivered() {
      return delivered;
    },
    stop() {
      clearInterval(timer);
      const seconds = tick();
      return { delivered, seconds };
    },
  };
}

/** The longest the event loop went without running a 1 ms timer, since the last `reset()`. */
export function stallMeter(): { reset(): void; max(): number; stop(): void } {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  return {
    reset() {
      last = performance.now();
      max = 0;
    },
    max: () => Math.max(max, performance.now() - last),
    stop: () => clearInterval(timer),
  };
}
