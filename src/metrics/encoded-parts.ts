import type { Families } from "./prometheus-text.js";
import { inSlices, SLICE_MS } from "./slices.js";

/**
 * One part's families, encoded once when rendered: the samples of every family in one Buffer
 * (one allocation per connection, not two small ones per family: at 1,000 connections those
 * were ~40,000 Buffers, and re-rendering them left the process's RSS growing), each family a
 * range of it; headers are the same text for every connection and kept once (see HeaderPool).
 */
export interface EncodedPart {
  bytes: Buffer;
  families: Map<string, { header: Buffer; start: number; end: number }>;
}

/** Each distinct header text encoded once, shared by every part that has it. */
export class HeaderPool {
  private readonly headers = new Map<string, Buffer>();

  get(text: string): Buffer {
    let header = this.headers.get(text);
    if (header === undefined) {
      header = Buffer.from(text);
      this.headers.set(text, header);
    }
    return header;
  }

  get size(): number {
    return this.headers.size;
  }
}

/**
 * A part's families as one Buffer, each family a range of it: each body is measured and written
 * in place, with no concatenated copy of the part's text (which was flattened once more to be
 * encoded). Not from Buffer's shared pool: parts are kept until their connection changes, and a
 * kept slice of a pool slab would keep the whole slab.
 */
export function encodePart(families: Families, headers: HeaderPool): EncodedPart {
  const bodies: [string, string, string, number][] = [];
  let length = 0;
  for (const [name, f] of families) {
    if (f.body === "") continue;
    const n = Buffer.byteLength(f.body);
    bodies.push([name, f.header, f.body, n]);
    length += n;
  }
  const out: EncodedPart = { bytes: Buffer.allocUnsafe(length), families: new Map() };
  let at = 0;
  for (const [name, header, body, n] of bodies) {
    out.bytes.write(body, at);
    out.families.set(name, { header: headers.get(header), start: at, end: (at += n) });
  }
  return out;
}

/**
 * The parts merged per family (families sorted by name, each header once, samples in part
 * order) by copying bytes into one Buffer: re-encoding megabytes of text on every merge would
 * cost more than the rendering of a changed connection. One family at a time, yielding between
 * slices: at 200,000 samples the copy alone held the event loop for tens of milliseconds.
 */
export async function mergeEncoded(parts: readonly EncodedPart[], sliceMs = SLICE_MS): Promise<Buffer> {
  const names = new Set<string>();
  const firstHeader = new Map<string, Buffer>();
  let length = 0;
  for (const part of parts) {
    for (const [name, f] of part.families) {
      names.add(name);
      length += f.end - f.start;
      if (!firstHeader.has(name)) firstHeader.set(name, f.header);
    }
  }
  for (const header of firstHeader.values()) length += header.length;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  await inSlices(
    [...names].sort(),
    (name) => {
      at += (firstHeader.get(name) as Buffer).copy(out, at);
      for (const part of parts) {
        const f = part.families.get(name);
        if (f !== undefined) at += part.bytes.copy(out, at, f.start, f.end);
      }
    },
    sliceMs,
  );
  return out;
}
