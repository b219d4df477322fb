/**
 * Bounded FIFO: O(1) push, the oldest entry is overwritten once full. Slots are taken as items
 * arrive, not all up front: each connection keeps three of these at `max_events_retained`
 * (1,000 by default), and most connections never fill them, so preallocating cost ~24 KB per
 * connection for nothing (24 MB at 1,000 connections).
 */
export class RingBuffer<T> {
  /** Filled in arrival order until `capacity`; from then on a ring whose oldest item is at `start`. */
  private items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.items.length;
  }

  /** Appends an item; returns the evicted oldest item when the buffer was full. */
  push(item: T): T | undefined {
    const { items } = this;
    if (items.length < this.capacity) {
      items.push(item);
      // A growing array keeps up to half as many spare slots; once full it never grows again.
      if (items.length === this.capacity) this.items = items.slice();
      return undefined;
    }
    const evicted = items[this.start];
    items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return evicted;
  }

  /** The newest `limit` items, oldest first (like Python's `list[-limit:]`). */
  last(limit: number = this.items.length): T[] {
    const count = this.items.length;
    const n = Math.max(0, Math.min(limit, count));
    const out: T[] = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.items[(this.start + count - n + i) % count] as T;
    }
    return out;
  }

  /** The item `i` places from the oldest (0: the oldest), or undefined outside the buffer. */
  at(i: number): T | undefined {
    const count = this.items.length;
    return i >= 0 && i < count ? this.items[(this.start + i) % count] : undefined;
  }

  clear(): void {
    this.items = [];
    this.start = 0;
  }
}
