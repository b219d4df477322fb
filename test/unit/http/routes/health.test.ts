import { describe, expect, it } from "vitest";
import { startTestApp } from "../../../helpers/app.js";

describe("/healthz and /readyz", () => {
  it("serves /healthz and /readyz", async () => {
    const t = await startTestApp(["heater-1"]);
    try {
      expect((await t.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
      const ready = await t.app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: "ready", checks: {} });
    } finally {
      await t.close();
    }
  });

  it("answers 503 with the failing check while not ready", async () => {
    const n = await startTestApp(["x"], { readiness: () => ({ ready: false, checks: { journal: "restoring" } }) });
    const r = await n.app.inject({ method: "GET", url: "/readyz" });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({ status: "not ready", checks: { journal: "restoring" } });
    await n.close();
  });

  it("asks the readiness check on each request: ready once it says so", async () => {
    let ready = false;
    const t = await startTestApp(["x"], { readiness: () => ({ ready, checks: { journal: ready ? "restored 3 lines" : "restoring" } }) });
    try {
      expect((await t.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
      ready = true;
      const r = await t.app.inject({ method: "GET", url: "/readyz" });
      expect([r.statusCode, r.json()]).toEqual([200, { status: "ready", checks: { journal: "restored 3 lines" } }]);
      expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
