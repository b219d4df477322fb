import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EncodedPart, encodePart, mergeEncoded } from "../../../src/metrics/encoded-parts.js";
import { LayoutPool, partText } from "../../../src/metrics/layouts.js";
import { familiesText, type Families } from "../../../src/metrics/prometheus-text.js";

const header = (name: string) => `# HELP ${name} h\n# TYPE ${name} gauge\n`;
const familiesOf = (entries: [string, string][]): Families => new Map(entries.map(([name, body]) => [name, { header: header(name), body }]));
/** The text merge the encoded one replaced: families sorted, each header once, samples in part order. */
function textMerge(parts: readonly Families[]): string {
  const all: Families = new Map();
  for (const part of parts) for (const [name, f] of part) all.set(name, { header: f.header, body: (all.get(name)?.body ?? "") + f.body });
  return familiesText(all);
}

/** These families' text encoded (into `previous` when given). */
const encode = (layouts: LayoutPool, entries: [string, string][], previous?: EncodedPart) =>
  encodePart(layouts.fromFamilies(familiesOf(entries)), layouts, previous);

describe("encoded parts", () => {
  const families = fc
    .dictionary(fc.constantFrom("a", "b", "c_total", "d"), fc.array(fc.string({ unit: "grapheme" }), { maxLength: 3 }))
    .map((d) => familiesOf(Object.entries(d).map(([name, values]) => [name, values.map((v) => `${name}{l="${v}"} 1\n`).join("")])));

  it("merge to the same bytes as the text merge, whatever the families and their UTF-8 labels", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(families, { maxLength: 6 }), async (parts) => {
        const layouts = new LayoutPool();
        const merged = await mergeEncoded(parts.map((p) => encodePart(layouts.fromFamilies(p), layouts)));
        expect(merged.toString("utf8")).toBe(textMerge(parts));
      }),
    );
  });

  // issue 24: each part is rewritten in place at every rendering, so what an earlier rendering
  // wrote must never show through a later one, shorter or longer, whatever its characters.
  it("rewritten in place, merge to the bytes of the last rendering only, never an earlier one's", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(families, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), async (renderings) => {
        const layouts = new LayoutPool();
        const kept: EncodedPart[] = [];
        let last: Families[] = [];
        for (const parts of renderings) {
          parts.forEach((p, i) => (kept[i] = encodePart(layouts.fromFamilies(p), layouts, kept[i])));
          last = parts;
        }
        const merged = await mergeEncoded(kept.slice(0, last.length));
        expect(merged.toString("utf8")).toBe(textMerge(last));
      }),
    );
  });

  it("keep their Buffer while the text fits, and leave no stale bytes after a shorter rendering", () => {
    const layouts = new LayoutPool();
    const long = encode(layouts, [
      ["a", "a 1000000\n"],
      ["b", "b 2222222\n"],
    ]);
    const bytes = long.bytes;
    const short = encode(
      layouts,
      [
        ["a", "a 1\n"],
        ["b", "b 2\n"],
      ],
      long,
    );
    expect(short).toBe(long);
    expect(short.bytes).toBe(bytes);
    expect(short.view().toString()).toBe("a 1\nb 2\n");
    expect(short.bytes.subarray(short.start(1), short.ends[1]).toString()).toBe("b 2\n");
  });

  it("move to a larger Buffer when a longer rendering no longer fits, multi-byte text cut at no character", () => {
    const layouts = new LayoutPool();
    const part = encode(layouts, [
      ["a", "a 1\n"],
      ["b", "b 2\n"],
    ]);
    const first = part.bytes;
    // Each `é` is 2 bytes and `😀` 4: the first write stops short of the room left.
    const wide = `b{l="${"é😀".repeat(50)}"} 2\n`;
    encode(
      layouts,
      [
        ["a", "a 10\n"],
        ["b", wide],
      ],
      part,
    );
    expect(part.bytes).not.toBe(first);
    expect(part.view().toString()).toBe(`a 10\n${wide}`);
    expect(part.bytes.subarray(part.start(1), part.ends[1]).toString()).toBe(wide);
    // Then back to a short text: the larger Buffer is kept (under a few KB), only its used bytes count.
    encode(layouts, [["a", "a 1\n"]], part);
    expect(part.view().toString()).toBe("a 1\n");
  });

  it("never take a write cut short for ASCII text that fitted: as many bytes as characters, the Buffer full", () => {
    const layouts = new LayoutPool();
    const text = partText({ names: ["a"], headers: [header("a")] }, ["\u00e9aaaa"]);
    // Room for 5 bytes: the write stops after "\u00e9aaa", 5 bytes for the text's 5 characters.
    const part = new EncodedPart(layouts.encode(text.layout), 5).write(layouts.encode(text.layout), text.text, text.ends);
    expect(part.view().toString()).toBe("\u00e9aaaa");
    expect(part.ends).toEqual([6]);
  });

  it("give a Buffer back when a rendering needs much less than it holds", () => {
    const layouts = new LayoutPool();
    const part = encode(layouts, [["a", "a 1\n".repeat(10_000)]]);
    encode(layouts, [["a", "a 2\n"]], part);
    expect(part.bytes.length).toBe(4);
    expect(part.view().toString()).toBe("a 2\n");
  });

  it("of a renderer's own layout: empty families count as none, a header is written only where some part has samples", async () => {
    const layouts = new LayoutPool();
    const layout = { names: ["b", "a", "c"], headers: [header("b"), header("a"), header("c")] };
    const x = partText(layout, ['b{c="x"} 1\n', "", ""]);
    const y = partText(layout, ["", 'a{c="y"} 2\n', ""]);
    const merged = await mergeEncoded([encodePart(x, layouts), encodePart(y, layouts)]);
    expect(merged.toString()).toBe(`${header("a")}a{c="y"} 2\n${header("b")}b{c="x"} 1\n`);
  });

  // issue 21: the merge of a 200,000-sample exposition was one synchronous copy of ~17 MB, and
  // /healthz waited behind it. Between slices (here: after every family) other work runs.
  it("merge one family at a time, letting the event loop run between slices", async () => {
    const layouts = new LayoutPool();
    const part = encode(layouts, [
      ["a", "a 1\n"],
      ["b", "b 2\n"],
    ]);
    let ranMeanwhile = false;
    setImmediate(() => (ranMeanwhile = true));
    const merged = await mergeEncoded([part], 0);
    expect(ranMeanwhile).toBe(true);
    expect(merged.toString()).toBe(`${header("a")}a 1\n${header("b")}b 2\n`);
  });

  it("encode a large part, multi-byte text included, each family a range of it", () => {
    const big = `x{l="\u00e9\u{1F600}"} 1\n`.repeat(20_000);
    const layouts = new LayoutPool();
    const part = encode(layouts, [
      ["a", "a 1\n"],
      ["b", big],
      ["c", "c\u00e9 2\n"],
    ]);
    expect(part.view().toString()).toBe(`a 1\n${big}c\u00e9 2\n`);
    expect(part.bytes.subarray(part.start(1), part.ends[1]).toString()).toBe(big);
  });
});
