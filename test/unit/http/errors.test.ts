import { describe, expect, it } from "vitest";
import { errorBody } from "../../../src/http/errors.js";
import { startTestApp } from "../../helpers/app.js";

describe("errorBody", () => {
  it("is the shape of every JSON error: status, status word, a reason", () => {
    expect(errorBody(404, "Not Found", "no route GET /x")).toEqual({ statusCode: 404, error: "Not Found", message: "no route GET /x" });
  });

  it("is what the app's refusals send (404, 405, 400)", async () => {
    const t = await startTestApp(["heater-1"]);
    try {
      for (const [method, url] of [
        ["GET", "/x"],
        ["POST", "/metrics"],
        ["GET", "/metrics?x=1"],
      ] as const) {
        const body = (await t.app.inject({ method, url })).json<Record<string, unknown>>();
        expect(Object.keys(body)).toEqual(["statusCode", "error", "message"]);
      }
    } finally {
      await t.close();
    }
  });
});
