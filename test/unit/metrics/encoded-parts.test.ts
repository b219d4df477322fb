import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodePart, HeaderPool, mergeEncoded } from "../../../src/metrics/encoded-parts.js";
import { familiesText, type Families } from "../../../src/metrics/prometheus-text.js";

describe("encoded parts", () => {
  const header = (name: string) => `# HELP ${name} h\n# TYPE ${name} gauge\n`;
  const families = fc
    .dictionary(fc.constantFrom("a", "b", "c_total", "d"), fc.array(fc.string({ unit: "grapheme" }), { maxLength: 3 }))
    .map(
      (d) =>
        new Map(
          Object.entries(d).map(([name, values]) => [name, { header: header(name), body: values.map((v) => `${name}{l="${v}"} 1\n`).join("") }]),
        ) as Families,
    );

  it("merge to the same bytes as the text merge, whatever the families and their UTF-8 labels", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(families, { maxLength: 6 }), async (parts) => {
        const headers = new HeaderPool();
        const merged = await mergeEncoded(parts.map((p) => encodePart(p, headers)));
        // The text merge: families sorted, each header once, samples in part order.
        const all: Families = new Map();
        for (const part of parts) for (const [name, f] of part) all.set(name, { header: f.header, body: (all.get(name)?.body ?? "") + f.body });
        expect(merged.toString("utf8")).toBe(familiesText(all));
      }),
    );
  });

  // issue 21: the merge of a 200,000-sample exposition was one synchronous copy of ~17 MB, and
  // /healthz waited behind it. Between slices (here: after every family) other work runs.
  it("merge one family at a time, letting the event loop run between slices", async () => {
    const headers = new HeaderPool();
    const part = encodePart(
      new Map([
        ["a", { header: header("a"), body: "a 1\n" }],
        ["b", { header: header("b"), body: "b 2\n" }],
      ]),
      headers,
    );
    let ranMeanwhile = false;
    setImmediate(() => (ranMeanwhile = true));
    const merged = await mergeEncoded([part], 0);
    expect(ranMeanwhile).toBe(true);
    expect(merged.toString()).toBe(`${header("a")}a 1\n${header("b")}b 2\n`);
  });

  it("keep one body Buffer per part and each header once, however many parts share it", () => {
    const headers = new HeaderPool();
    const parts = Array.from({ length: 100 }, (_, i) =>
      encodePart(
        new Map([
          ["a", { header: header("a"), body: `a{c="${i}"} 1\n` }],
          ["b", { header: header("b"), body: `b{c="${i}"} 2\n` }],
        ]) as Families,
        headers,
      ),
    );
    expect(headers.size).toBe(2);
    expect(parts[7]?.bytes.toString()).toBe('a{c="7"} 1\nb{c="7"} 2\n');
    expect(parts[7]?.families.get("b")?.header).toBe(parts[42]?.families.get("b")?.header);
  });

  it("encode a large part, multi-byte text included, each family a range of it", () => {
    const big = `x{l="\u00e9\u{1F600}"} 1\n`.repeat(20_000);
    const families = new Map([
      ["a", { header: header("a"), body: "a 1\n" }],
      ["b", { header: header("b"), body: big }],
      ["c", { header: header("c"), body: "c\u00e9 2\n" }],
    ]) as Families;
    const part = encodePart(families, new HeaderPool());
    expect(part.bytes.toString()).toBe(`a 1\n${big}c\u00e9 2\n`);
    expect(part.bytes.subarray(part.families.get("b")?.start, part.families.get("b")?.end).toString()).toBe(big);
    expect(encodePart(new Map([["a", { header: header("a"), body: "a 1\n" }]]), new HeaderPool()).bytes.toString()).toBe("a 1\n");
  });
});
