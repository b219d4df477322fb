import { describe, expect, it } from "vitest";
import { captureLog } from "../../helpers/log-capture.js";
import { startTestApp } from "../../helpers/app.js";

const requestLines = (lines: { msg: string }[]) => lines.filter((l) => l.msg === "incoming request" || l.msg === "request completed").map((l) => l.msg);

describe("DebugLogController: request logs at debug level", () => {
  it("at info (the default) a scrape writes no log line", async () => {
    const log = captureLog("info");
    const t = await startTestApp(["heater-1"], { logger: log.logger });
    try {
      for (const url of ["/metrics", "/healthz", "/nope"]) await t.app.inject({ method: "GET", url });
      expect(requestLines(log.lines)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it("at debug each request is logged when it comes in and when it is answered", async () => {
    const log = captureLog("debug");
    const t = await startTestApp(["heater-1"], { logger: log.logger });
    try {
      await t.app.inject({ method: "GET", url: "/healthz" });
      expect(requestLines(log.lines)).toEqual(["incoming request", "request completed"]);
      expect(log.lines.filter((l) => requestLines([l]).length > 0).map((l) => l.level)).toEqual([20, 20]);
    } finally {
      await t.close();
    }
  });

  it("a request that ends in an error is logged at error level, whatever the level", async () => {
    const log = captureLog("warn");
    const t = await startTestApp(["heater-1"], {
      logger: log.logger,
      // An onResponse hook that fails is how Fastify hands requestCompleted an error.
      plugins: [
        (app) => {
          app.addHook("onResponse", (request, _reply, done) => {
            done(request.url === "/healthz" ? new Error("after the answer") : undefined);
          });
        },
      ],
    });
    try {
      expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
      const errored = log.lines.filter((l) => l.msg === "request errored");
      expect(errored.map((l) => l.level)).toEqual([50]);
    } finally {
      await t.close();
    }
  });
});
