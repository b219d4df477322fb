import { setImmediate as yieldToLoop } from "node:timers/promises";

/** Work on many connections runs in slices of about this long, letting the event loop run between them. */
export const SLICE_MS = 5;

/**
 * Runs `fn` on each item in turn and yields to the event loop whenever SLICE_MS has passed, so
 * that work over 1,000 connections never blocks other requests (or the SDK's callbacks) for long.
 */
export async function inSlices<T>(items: Iterable<T>, fn: (item: T) => Promise<void> | void): Promise<void> {
  let sliceStart = performance.now();
  for (const item of items) {
    await fn(item);
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
}
