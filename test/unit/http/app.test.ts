import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_URL_LENGTH } from "../../../src/http/app.js";
import { captureLog } from "../../helpers/log-capture.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";

let t: TestApp;
const log = captureLog("info");
beforeAll(async () => {
  t = await startTestApp(["heater-1"], {
    logger: log.logger,
    // Routes an application could add before ours (deps.plugins): one fails, one refuses.
    plugins: [
      (app) => {
        app.get("/boom", () => {
          throw new Error("secret detail of a bug");
        });
        app.get("/teapot", () => {
          throw Object.assign(new Error("short and stout"), { statusCode: 418 });
        });
      },
    ],
  });
});
afterAll(async () => t.close());

describe("buildApp: answers outside the routes", () => {
  it("answers unknown routes with a JSON 404", async () => {
    const r = await t.app.inject({ method: "GET", url: "/nope" });
    expect(r.statusCode).toBe(404);
    expect(r.json<{ error: string }>().error).toBe("Not Found");
  });

  it.each(["POST", "PUT", "DELETE", "PATCH"] as const)("answers %s on a known path with 405 and Allow", async (method) => {
    const r = await t.app.inject({ method, url: "/metrics" });
    expect(r.statusCode).toBe(405);
    expect(r.headers["allow"]).toBe("GET, HEAD");
  });

  it(`refuses a URL longer than ${MAX_URL_LENGTH} characters with 414, before routing`, async () => {
    const r = await t.app.inject({ method: "GET", url: `/metrics?${"a".repeat(MAX_URL_LENGTH)}` });
    expect(r.statusCode).toBe(414);
    expect(r.json()).toEqual({ statusCode: 414, error: "URI Too Long", message: `the URL is longer than ${MAX_URL_LENGTH} characters` });
    expect((await t.app.inject({ method: "GET", url: `/healthz?${"a".repeat(MAX_URL_LENGTH - 20)}` })).statusCode).not.toBe(414);
  });

  it("a failing handler is a 500 saying only 'internal error'; the cause goes to the log", async () => {
    const r = await t.app.inject({ method: "GET", url: "/boom" });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ statusCode: 500, error: "Internal Server Error", message: "internal error" });
    expect(log.lines.some((l) => l["msg"] === "request failed" && JSON.stringify(l["err"]).includes("secret detail of a bug"))).toBe(true);
  });

  it("an error that carries a 4xx status keeps it and its message", async () => {
    const r = await t.app.inject({ method: "GET", url: "/teapot" });
    expect(r.statusCode).toBe(418);
    expect(r.json()).toEqual({ statusCode: 418, error: "I'm a Teapot", message: "short and stout" });
  });
});
