import { describe, expect, it } from "vitest";
import { LayoutPool, partText } from "../../../src/metrics/layouts.js";
import type { Families } from "../../../src/metrics/prometheus-text.js";

const header = (name: string, help = "h") => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n`;
const families = (names: string[], help = "h"): Families => new Map(names.map((n) => [n, { header: header(n, help), body: `${n}{c="x"} 1\n` }]));

describe("LayoutPool", () => {
  it("gives parts with the same families one layout, with each header encoded once", () => {
    const pool = new LayoutPool();
    const parts = Array.from({ length: 100 }, () => pool.fromFamilies(families(["a", "b"])));
    expect(new Set(parts.map((p) => p.layout)).size).toBe(1);
    const encoded = parts.map((p) => pool.encode(p.layout));
    expect(new Set(encoded).size).toBe(1);
    expect(pool.headerCount).toBe(2);
    expect(encoded[0]?.headers.map((h) => h.toString())).toEqual([header("a"), header("b")]);
  });

  it("does not share a layout between different families, other orders, or other headers; shares their common headers' bytes", () => {
    const pool = new LayoutPool();
    const ab = pool.fromFamilies(families(["a", "b"])).layout;
    const ba = pool.fromFamilies(families(["b", "a"])).layout;
    const abc = pool.fromFamilies(families(["a", "b", "c"])).layout;
    const otherHelp = pool.fromFamilies(families(["a", "b"], "other")).layout;
    expect(new Set([ab, ba, abc, otherHelp]).size).toBe(4);
    const [eab, , eabc] = [ab, ba, abc, otherHelp].map((l) => pool.encode(l));
    expect(eab?.headers[0]).toBe(eabc?.headers[0]);
    // a, b, c and the other a and b.
    expect(pool.headerCount).toBe(5);
  });

  it("leaves empty families out of a Families map's layout", () => {
    const pool = new LayoutPool();
    const f = families(["a", "b"]);
    f.set("c", { header: header("c"), body: "" });
    const text = pool.fromFamilies(f);
    expect(text.layout.names).toEqual(["a", "b"]);
    expect(text.text).toBe('a{c="x"} 1\nb{c="x"} 1\n');
    expect(text.ends).toEqual([11, 22]);
  });

  it("takes a renderer's own layout object as it is", () => {
    const pool = new LayoutPool();
    const own = { names: ["x"], headers: [header("x")] };
    expect(pool.encode(own).layout).toBe(own);
    expect(pool.encode(own)).toBe(pool.encode(own));
    expect(pool.size).toBe(1);
  });

  it("spells a part's text from bodies, each family's end in UTF-16 offsets", () => {
    const layout = { names: ["a", "b", "c"], headers: ["", "", ""] };
    expect(partText(layout, ["a\u00e9 1\n", "", "c 2\n"])).toEqual({ layout, text: "a\u00e9 1\nc 2\n", ends: [5, 5, 9] });
  });
});
