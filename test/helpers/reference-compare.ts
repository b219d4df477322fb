import { expect } from "vitest";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

/**
 * Asserts that `actual` holds every key of the original module's `expected` document with an equal value:
 * timestamps compared as instants, floats within 1e-3. Keys only `actual` has are additions.
 */
export function expectReferenceEqual(actual: unknown, expected: unknown, path = "$"): void {
  if (typeof expected === "string" && ISO.test(expected)) {
    expect(typeof actual, path).toBe("string");
    expect(Date.parse(actual as string), `${path}: ${String(actual)} vs ${expected}`).toBe(Date.parse(expected));
    return;
  }
  if (typeof expected === "number" && !Number.isInteger(expected)) {
    expect(typeof actual, path).toBe("number");
    expect(Math.abs((actual as number) - expected), `${path}: ${String(actual)} vs ${expected}`).toBeLessThanOrEqual(1e-3);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((item, i) => expectReferenceEqual((actual as unknown[])[i], item, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === "object") {
    expect(actual !== null && typeof actual === "object", path).toBe(true);
    const a = actual as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      expect(Object.hasOwn(a, key), `${path}.${key} is missing`).toBe(true);
      expectReferenceEqual(a[key], value, `${path}.${key}`);
    }
    // The original's dicts keyed by data (error names, buckets) must not gain keys either.
    if (path.endsWith("_by_error") || path.endsWith("distribution") || path.endsWith("aws_error_counts")) {
      expect(Object.keys(a).sort(), path).toEqual(Object.keys(expected).sort());
    }
    return;
  }
  expect(actual, path).toEqual(expected);
}
