import { describe, expect, it } from "vitest";
import { fieldCheck, findProblem, type Infer } from "../../../src/collector/schema.js";

const spec = {
  type: "object",
  fields: {
    n: { type: "count" },
    at: { type: "iso", nullable: true },
    label: { type: "name", optional: true },
    byName: { type: "counts" },
    list: { type: "list", of: { type: "number" } },
  },
} as const;

// The type follows the spec: a wrong shape does not compile.
const sample: Infer<typeof spec> = { n: 1, at: null, byName: { a: 1 }, list: [0.5] };

describe("findProblem", () => {
  it("accepts a value of the spec's shape, optional fields absent", () => {
    expect(findProblem(spec, sample)).toBeNull();
    expect(findProblem(spec, { ...sample, label: "x", at: "2026-03-01T12:00:00Z" })).toBeNull();
  });

  it.each([
    [{ ...sample, n: -1 }, "n", "must be a non-negative integer"],
    [{ ...sample, n: 1.5 }, "n", "must be a non-negative integer"],
    [{ ...sample, at: "yesterday" }, "at", "must be an ISO 8601 timestamp or null"],
    [{ ...sample, label: 7 }, "label", "must be a string"],
    [{ ...sample, byName: { a: "many" } }, "byName.a", "must be a non-negative integer"],
    [{ ...sample, list: [0, Number.NaN] }, "list.1", "must be a finite number"],
    [{ ...sample, list: {} }, "list", "must be a list"],
    [{ n: 1 }, "at", "must be an ISO 8601 timestamp or null"],
    [[], "", "must be an object"],
  ])("names the first problem of %j", (value, path, message) => {
    expect(findProblem(spec, value)).toEqual({ path, message });
  });

  it("reads keys named like Object.prototype members as data", () => {
    const counts = JSON.parse('{"__proto__": 2, "constructor": 1, "toString": 3}') as unknown;
    expect(findProblem({ type: "counts" }, counts)).toBeNull();
    expect(findProblem({ type: "counts" }, JSON.parse('{"__proto__": "x"}'))).toEqual({ path: ".__proto__", message: "must be a non-negative integer" });
    // An object field is never found on the prototype: `toString` is absent here, not a function.
    expect(findProblem({ type: "object", fields: { toString: { type: "string" } } } as const, {})).toEqual({ path: "toString", message: "must be a string" });
  });
});

describe("fieldCheck", () => {
  it("allows null and absence only where the field does", () => {
    expect(fieldCheck({ type: "int" })(undefined)).toBe(false);
    expect(fieldCheck({ type: "int", default: 0 })(undefined)).toBe(true);
    expect(fieldCheck({ type: "int", optional: true })(null)).toBe(false);
    expect(fieldCheck({ type: "int", nullable: true, optional: true })(null)).toBe(true);
    expect(fieldCheck({ type: "int", nullable: true })(undefined)).toBe(false);
    expect(fieldCheck({ type: "boolean", default: false })(1)).toBe(false);
  });
});
