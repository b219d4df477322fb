/** The signals that stop `serve` cleanly (exit 0). SIGHUP is not one of them: see serve-command. */
export const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export interface StopSignals {
  /** The first stop signal received, once one has been. */
  readonly received: StopSignal | undefined;
  /** Resolves with the first stop signal. */
  readonly first: Promise<StopSignal>;
  /** Removes the handlers. */
  dispose(): void;
}

let current: StopSignals | undefined;

/**
 * Catches the stop signals for the whole life of the command, from before any slow start-up
 * work (run-cli calls this before it even loads `serve`'s modules; serve gets the same instance). The handlers stay installed: a second SIGTERM while stopping (10 ms after the first, as an
 * orchestrator may send) is absorbed instead of killing the process with 143. As PID 1, an
 * uncaught SIGTERM is ignored by the kernel; caught from the start, it is never lost.
 */
export function catchStopSignals(): StopSignals {
  if (current !== undefined) return current;
  let received: StopSignal | undefined;
  let resolveFirst: (signal: StopSignal) => void = () => {};
  const first = new Promise<StopSignal>((resolve) => (resolveFirst = resolve));
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      if (received !== undefined) return;
      received = signal;
      resolveFirst(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  current = {
    get received() {
      return received;
    },
    first,
    dispose() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      current = undefined;
    },
  };
  return current;
}
