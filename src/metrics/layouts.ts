import type { Families } from "./prometheus-text.js";

/**
 * The families a part has, in the order its text is written: their names and `# HELP`/`# TYPE`
 * headers. One object for every part with the same families (every connection of the catalog
 * has the same), so that a part keeps no names, headers or per-family objects of its own: at
 * 1,000 connections a Map of ~25 range objects per part, replaced at every re-rendering, was
 * most of what a rendering left in V8's old generation.
 */
export interface Layout {
  readonly names: readonly string[];
  readonly headers: readonly string[];
}

/**
 * A part's text: every family's samples, one family after the other in its layout's order, as
 * one string (written into the part's Buffer in one call: a string per family cost a third more
 * to write, each flattened on its own), and where each family's samples end in it (UTF-16 offsets).
 */
export interface PartText {
  layout: Layout;
  text: string;
  ends: readonly number[];
}

/** The text of these families' bodies ("" for a family without samples), in the layout's order. */
export function partText(layout: Layout, bodies: readonly string[]): PartText {
  let text = "";
  const ends: number[] = [];
  for (const body of bodies) ends.push((text += body).length);
  return { layout, text, ends };
}

/** What the merge needs of a layout: its headers encoded, each distinct header text once. */
export interface EncodedLayout {
  readonly layout: Layout;
  readonly headers: readonly Buffer[];
}

/**
 * Layouts interned by their families (names and header texts), and each header's bytes encoded
 * once for every layout that has it.
 */
export class LayoutPool {
  private readonly byKey = new Map<string, Layout>();
  private readonly encoded = new Map<Layout, EncodedLayout>();
  private readonly headers = new Map<string, Buffer>();

  /** The one layout of these families (a Layout object already seen is its own). */
  intern(names: readonly string[], headers: readonly string[]): Layout {
    const key = `${names.join("\n")}\n\n${headers.join("")}`;
    let layout = this.byKey.get(key);
    if (layout === undefined) {
      layout = { names: [...names], headers: [...headers] };
      this.byKey.set(key, layout);
    }
    return layout;
  }

  /** A Families map as a part's text, its layout interned (empty families left out). */
  fromFamilies(families: Families): PartText {
    const names: string[] = [];
    const headers: string[] = [];
    const bodies: string[] = [];
    for (const [name, f] of families) {
      if (f.body === "") continue;
      names.push(name);
      headers.push(f.header);
      bodies.push(f.body);
    }
    return partText(this.intern(names, headers), bodies);
  }

  /** The layout's headers as bytes; a layout made elsewhere (a renderer's own) is taken as it is. */
  encode(layout: Layout): EncodedLayout {
    let e = this.encoded.get(layout);
    if (e === undefined) {
      e = { layout, headers: layout.headers.map((h) => this.header(h)) };
      this.encoded.set(layout, e);
    }
    return e;
  }

  private header(text: string): Buffer {
    let header = this.headers.get(text);
    if (header === undefined) {
      // Not from Buffer's shared pool: a kept slice of a pool slab keeps the whole slab.
      header = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
      header.write(text);
      this.headers.set(text, header);
    }
    return header;
  }

  /** Distinct header texts encoded (for tests). */
  get headerCount(): number {
    return this.headers.size;
  }

  /** Layouts encoded (for tests). */
  get size(): number {
    return this.encoded.size;
  }
}
