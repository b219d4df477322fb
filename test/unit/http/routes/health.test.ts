import { describe, expect, it } from "vitest";
import { hangup, startTestApp } from "../../../helpers/app.js";

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

  it("answers /healthz between the slices of a first /metrics rendering, before that rendering ends", async () => {
    // Enough connections, each with a few error names, that the first rendering takes many slices.
    const names = Array.from({ length: 1500 }, (_, i) => `c${i}`);
    const t = await startTestApp(names);
    try {
      for (const name of names) for (let k = 0; k < 5; k++) t.registry.getOrCreate(name).recordConnectionDrop({ error: { ...hangup, error_name: `E_${k}` } });
      const done: string[] = [];
      const metrics = t.app.inject({ method: "GET", url: "/metrics" }).then((r) => void done.push(`metrics ${r.statusCode}`));
      let rendersWhenHealthy = -1;
      const health = t.app.inject({ method: "GET", url: "/healthz" }).then((r) => {
        rendersWhenHealthy = t.telemetry.connectionRenders;
        done.push(`healthz ${r.statusCode}`);
      });
      await Promise.all([metrics, health]);
      expect(done).toEqual(["healthz 200", "metrics 200"]);
      // Answered while the rendering was under way, not before it started or after it ended.
      expect(rendersWhenHealthy).toBeGreaterThan(0);
      expect(rendersWhenHealthy).toBeLessThan(names.length);
    } finally {
      await t.close();
    }
  });
});
