/**
 * Items kept sorted by a time key, bounded: the join's lookup structure. Items mostly arrive in
 * time order, so an insert is an append; a late one is placed by binary search. Past `capacity`
 * the oldest item is dropped (and returned). Lookups are O(log n) plus the items they skip.
 */
export class TimeIndex<T> {
  private items: T[] = [];
  private head = 0;

  constructor(
    private readonly keyOf: (item: T) => number,
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds an item; returns the oldest one when the index was full. */
  insert(item: T): T | undefined {
    const key = this.keyOf(item);
    const last = this.items[this.items.length - 1];
    if (this.size === 0 || key >= this.keyOf(last as T)) this.items.push(item);
    else this.items.splice(this.upper(key), 0, item);
    if (this.size <= this.capacity) return undefined;
    const evicted = this.items[this.head] as T;
    this.items[this.head++] = undefined as T;
    this.compact();
    return evicted;
  }

  /** Removes this item (by identity); false when it is not here. */
  remove(item: T): boolean {
    const key = this.keyOf(item);
    for (let i = this.lower(key); i < this.items.length && this.keyOf(this.items[i] as T) === key; i++) {
      if (this.items[i] !== item) continue;
      if (i === this.head) {
        this.items[this.head++] = undefined as T;
        this.compact();
      } else this.items.splice(i, 1);
      return true;
    }
    return false;
  }

  /** The accepted item whose key is nearest `target`, at most `maxGap` away (ties: the earlier). */
  nearest(target: number, maxGap: number, accept: (item: T) => boolean = () => true): T | undefined {
    let best: T | undefined;
    let bestGap = Infinity;
    for (let i = this.lower(target - maxGap); i < this.items.length; i++) {
      const item = this.items[i] as T;
      const key = this.keyOf(item);
      if (key > target + maxGap) break;
      const gap = Math.abs(key - target);
      if (gap < bestGap && accept(item)) {
        best = item;
        bestGap = gap;
      }
    }
    return best;
  }

  /** Items with keys in [lo, hi], oldest first. */
  within(lo: number, hi: number): T[] {
    const out: T[] = [];
    for (let i = this.lower(lo); i < this.items.length && this.keyOf(this.items[i] as T) <= hi; i++) out.push(this.items[i] as T);
    return out;
  }

  /** Removes and returns the items with keys up to `until`, oldest first. */
  takeUntil(until: number): T[] {
    const out: T[] = [];
    while (this.size > 0 && this.keyOf(this.items[this.head] as T) <= until) {
      out.push(this.items[this.head] as T);
      this.items[this.head++] = undefined as T;
    }
    this.compact();
    return out;
  }

  values(): T[] {
    return this.items.slice(this.head);
  }

  // First index (from head) whose key is >= key.
  private lower(key: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keyOf(this.items[mid] as T) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // First index (from head) whose key is > key.
  private upper(key: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keyOf(this.items[mid] as T) <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // Drop the emptied front once it is most of the array (amortised O(1)).
  private compact(): void {
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
