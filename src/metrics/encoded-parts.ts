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
   * Writes `text` over what the part held, encoding each body once: UTF-8 is written straight
   * into the kept Buffer and measured (Buffer.byteLength) only when it may not have fit.
   */
  write(layout: EncodedLayout, bodies: readonly string[]): this {
    this.layout = layout;
    const n = layout.layout.names.length;
    this.ends.length = n;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const body = bodies[i] ?? "";
      if (body !== "") {
        const room = this.bytes.length - at;
        const written = room === 0 ? 0 : this.bytes.write(body, at);
        // Less than 4 bytes left: the write may have stopped short of a character.
        if (room - written < 4 && Buffer.byteLength(body) !== written) at = this.grow(at, bodies, i);
        else at += written;
      }
      this.ends[i] = at;
    }
    this.length = at;
    // Much less needed than kept (a connection lost most of its series): give it back.
    if (at < this.bytes.length >>> 2 && this.bytes.length > 4096) this.bytes = copyInto(Buffer.allocUnsafeSlow(at), this.bytes, at);
    return this;
  }

  /** A Buffer large enough for what is written and what remains (from body `i`), with some room to grow. */
  private grow(at: number, bodies: readonly string[], i: number): number {
    let needed = at;
    for (let j = i; j < bodies.length; j++) needed += Buffer.byteLength(bodies[j] ?? "");
    this.bytes = copyInto(Buffer.allocUnsafeSlow(needed + (needed >>> 3) + 64), this.bytes, at);
    return at + this.bytes.write(bodies[i] ?? "", at);
  }
}

const copyInto = (to: Buffer, from: Buffer, length: number): Buffer => {
  from.copy(to, 0, 0, length);
  return to;
};

/** A part's text encoded: into `previous` (its Buffer reused when the text fits), or a new part. */
export function encodePart(text: PartText, layouts: LayoutPool, previous?: EncodedPart): EncodedPart {
  const layout = layouts.encode(text.layout);
  return (previous ?? new EncodedPart(layout)).write(layout, text.bodies);
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
