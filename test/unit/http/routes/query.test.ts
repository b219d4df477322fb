import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiagnoser } from "../../../../src/diagnosis/diagnoser.js";
import { NO_QUERY } from "../../../../src/http/routes/query.js";
import { startTestApp, type TestApp } from "../../../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(["heater-1"], (registry) => ({ diagnoser: createDiagnoser(registry) }));
});
afterAll(async () => t.close());

describe("unknown query parameters", () => {
  it("NO_QUERY admits no parameter at all", () => {
    expect(NO_QUERY).toEqual({ type: "object", additionalProperties: false, properties: {} });
  });

  // docs/security.md: unknown or malformed query parameters get 400, on every route.
  it.each(["/metrics", "/healthz", "/readyz", "/", "/diagnostics.json", "/diagnosis.json"])("GET %s?foo=1 answers 400 naming the parameter", async (path) => {
    const r = await t.app.inject({ method: "GET", url: `${path}?foo=1` });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ message: string }>().message).toMatch(/additional properties/);
  });
});
