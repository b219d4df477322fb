import type { EncodedLayout, LayoutPool, PartText } from "./layouts.js";
import { inSlices, SLICE_MS } from "./slices.js";

/**
 * One part's families, encoded when rendered and rewritten in place when rendered again: the
 * samples of every family in one Buffer, family i the bytes from `ends[i - 1]` (0 for the first)
 * to `ends[i]` of its layout's order. The Buffer is kept while the new text fits (a capacity,
 * of which `length` bytes are used): a re-rendering of a connection mallocs nothing new, where a
 * new ~5 KB Buffer per re-rendered connection fragmented malloc's heap. Not from Buffer's
 * shared pool: a kept slice of a pool slab would keep the whole slab.
 */
export class EncodedPart {
  bytes: Buffer;
  length = 0;
  layout: EncodedLayout;
  /** Where each family's samples end (in place: the same array across re-renderings). */
  readonly ends: number[] = [];

  constructor(layout: EncodedLayout, capacity = 0) {
    this.layout = layout;
    this.bytes = Buffer.allocUnsafeSlow(capacity);
  }

  start(i: number): number {
    return i === 0 ? 0 : (this.ends[i - 1] as number);
  }

  /** The used bytes (a view of the kept Buffer, not a copy). */
  view(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  /**
   * Writes a part's text over what the part held, in one call into the kept Buffer. Text that is
   * all ASCII (the usual: connection and label names are) and fits is encoded once, and its
   * families' offsets are the text's; other text is measured, family by family, and the Buffer
   * replaced when it does not fit.
   */
  write(layout: EncodedLayout, text: string, ends: readonly number[]): this {
    this.layout = layout;
    const room = this.bytes.length;
    const written = room === 0 ? 0 : this.bytes.write(text, 0);
    // Bytes written equal to characters: all ASCII, unless the write stopped short (less than 4 bytes left).
    if (written === text.length && (room - written >= 4 || Buffer.byteLength(text) === written)) {
      ends.forEach((end, i) => (this.ends[i] = end));
      this.keep(ends.length);
    } else this.measured(text, ends);
    this.length = this.ends.at(-1) ?? 0;
    // Much less needed than kept (a connection lost most of its series): give it back.
    if (this.length < this.bytes.length >>> 2 && this.bytes.length > 4096) {
      const smaller = Buffer.allocUnsafeSlow(this.length);
      this.bytes.copy(smaller, 0, 0, this.length);
      this.bytes = smaller;
    }
    return this;
  }

  /** Text with multi-byte characters, or too long for the Buffer: measured, written again, in a larger Buffer if need be. */
  private measured(text: string, ends: readonly number[]): void {
    const needed = Buffer.byteLength(text);
    // With some room to grow: counters gain digits.
    if (needed > this.bytes.length) this.bytes = Buffer.allocUnsafeSlow(needed + (needed >>> 3) + 64);
    this.bytes.write(text, 0);
    let at = 0;
    ends.forEach((end, i) => (this.ends[i] = at += Buffer.byteLength(text.slice(i === 0 ? 0 : ends[i - 1], end))));
    this.keep(ends.length);
  }

  /** The ends array written over in place, not emptied and refilled: a new backing store per rendering would be kept, then dropped. */
  private keep(n: number): void {
    if (this.ends.length !== n) this.ends.length = n;
  }
}

/** A part's text encoded: into `previous` (its Buffer reused when the text fits), or a new part. */
export function encodePart(text: PartText, layouts: LayoutPool, previous?: EncodedPart): EncodedPart {
  const layout = layouts.encode(text.layout);
  return (previous ?? new EncodedPart(layout)).write(layout, text.text, text.ends);
}

/**
 * The parts merged per family (families sorted by name, each header once, samples in part
 * order) by copying bytes into one Buffer: re-encoding megabytes of text on every merge would
 * cost more than the rendering of a changed connection. Parts share a few layouts, so where
 * each family lies in a part is looked up once per layout. One family at a time, yielding
 * between slices: at 200,000 samples the copy alone held the event loop for tens of milliseconds.
 */
export async function mergeEncoded(parts: readonly EncodedPart[], sliceMs = SLICE_MS): Promise<Buffer> {
  const layouts = [...new Set(parts.map((p) => p.layout))];
  const names = [...new Set(layouts.flatMap((l) => l.layout.names))].sort();
  const order = new Map(names.map((name, i) => [name, i]));
  // For each layout, its index of each merged family (-1 when it has none).
  const indexOf = new Map(
    layouts.map((l) => {
      const index = new Array<number>(names.length).fill(-1);
      l.layout.names.forEach((name, i) => (index[order.get(name) as number] = i));
      return [l, index] as const;
    }),
  );
  // A family's header is written once, from the first part that has samples of it.
  const header: (Buffer | undefined)[] = new Array<Buffer | undefined>(names.length).fill(undefined);
  const indexes = parts.map((p) => indexOf.get(p.layout) as number[]);
  let length = 0;
  parts.forEach((part, p) => {
    length += part.length;
    const index = indexes[p] as number[];
    for (let f = 0; f < names.length; f++) {
      const i = index[f] as number;
      if (i >= 0 && header[f] === undefined && (part.ends[i] as number) > part.start(i)) length += (header[f] = part.layout.headers[i] as Buffer).length;
    }
  });
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  await inSlices(
    names.keys(),
    (f) => {
      const h = header[f];
      if (h === undefined) return;
      at += h.copy(out, at);
      for (let p = 0; p < parts.length; p++) {
        const part = parts[p] as EncodedPart;
        const i = (indexes[p] as number[])[f] as number;
        if (i >= 0) at += part.bytes.copy(out, at, part.start(i), part.ends[i]);
      }
    },
    sliceMs,
  );
  return out;
}
