import { setImmediate as yieldToLoop } from "node:timers/promises";

/** Work on many connections runs in slices of about this long, letting the event loop run between them. */
export const SLICE_MS = 5;

/**
 * Runs `fn` on each item in turn and yields to the event loop whenever `sliceMs` has passed, so
 * that work over 1,000 connections never blocks other requests (or the SDK's callbacks) for long.
 * `sliceMs` 0 yields after every item (items that are each a large piece of work).
 */
export async function inSlices<T>(items: Iterable<T>, fn: (item: T) => Promise<void> | void, sliceMs = SLICE_MS): Promise<void> {
  let sliceStart = performance.now();
  for (const item of items) {
    await fn(item);
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
}
