/**
 * One copy of each error name and message. A storm repeats one error thousands of times, but
 * every SDK callback hands a fresh string (aws-crt builds each from native code), and each
 * retained record kept its own: about 140 bytes per retained drop at 1,000 connections (issue 24:
 * the heap is mostly retained records). The tables are bounded: once `max` distinct values are
 * held, new ones are kept as they come, so a message quoting peer data cannot grow them.
 */
export class Interner {
  private readonly table = new Map<string, string>();

  constructor(private readonly max: number) {}

  /** The held copy of `value` (the value itself when new, filed while there is room). */
  intern(value: string): string {
    const held = this.table.get(value);
    if (held !== undefined) return held;
    if (this.table.size < this.max) this.table.set(value, value);
    return value;
  }

  get size(): number {
    return this.table.size;
  }
}

/** Process-wide: the same error repeats across connections as much as within one. */
const names = new Interner(1024);
const messages = new Interner(1024);

export const internName = (name: string): string => names.intern(name);
export const internMessage = <T extends string | null>(message: T): T => (message === null ? message : (messages.intern(message) as T));
