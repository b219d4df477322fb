import { describe, expect, it } from "vitest";
import { jsonOf, NOT_JSON } from "../../../src/text/json-text.js";

describe("jsonOf", () => {
  it("gives the JSON value of a line", () => {
    expect(jsonOf('{"kind":"probe","n":1}')).toEqual({ kind: "probe", n: 1 });
    expect(jsonOf("null")).toBeNull();
    expect(jsonOf('"x"')).toBe("x");
  });

  it.each(["", "{", '{"kind":"probe"', "garbage", "\u0000\u0001"])("gives NOT_JSON for %j, never throws", (text) => {
    expect(jsonOf(text)).toBe(NOT_JSON);
  });

  it("keeps __proto__ as data (JSON.parse's own behaviour)", () => {
    const v = jsonOf('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.hasOwn(v, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
