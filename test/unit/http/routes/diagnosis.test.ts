import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiagnoser } from "../../../../src/diagnosis/diagnoser.js";
import { diagnosisSchema } from "../../../../src/http/routes/diagnosis.js";
import { startTestApp, type TestApp } from "../../../helpers/app.js";
import { recordSessions } from "../../../helpers/history.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(["heater-1", "idle-2"], (registry) => ({ diagnoser: createDiagnoser(registry) }));
  // Sessions cut by the same hangup, again and again: enough history for a verdict.
  recordSessions(t.registry.getOrCreate("heater-1"), t.clock, 5, { sessionMs: 340_000, gapMs: 2_000, keepAliveSeconds: 300 });
});
afterAll(async () => t.close());

describe("GET /diagnosis.json", () => {
  it("diagnoses the first connection by default, with the documented keys", async () => {
    const r = await t.app.inject({ method: "GET", url: "/diagnosis.json" });
    expect(r.statusCode).toBe(200);
    const d = r.json<Record<string, unknown>>();
    expect(d["connection"]).toBe("heater-1");
    expect(Object.keys(d)).toEqual(expect.arrayContaining([...diagnosisSchema.required]));
    expect(d["status"]).toBe("findings");
    for (const f of d["findings"] as Record<string, unknown>[])
      expect(Object.keys(f).sort()).toEqual([...diagnosisSchema.properties.findings.items.required].sort());
  });

  it("?connection= picks one; too little history says so rather than guessing", async () => {
    const d = (await t.app.inject({ method: "GET", url: "/diagnosis.json?connection=idle-2" })).json<{
      connection: string;
      status: string;
      findings: unknown[];
    }>();
    expect(d).toMatchObject({ connection: "idle-2", status: "insufficient_data", findings: [] });
  });

  it("answers 404 for an unknown connection and 400 for ?limit= (not a parameter here)", async () => {
    const unknown = await t.app.inject({ method: "GET", url: "/diagnosis.json?connection=nope" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ message: string }>().message).toBe("unknown connection 'nope' (known: heater-1, idle-2)");
    expect((await t.app.inject({ method: "GET", url: "/diagnosis.json?limit=1" })).statusCode).toBe(400);
  });

  it("is not served without a diagnoser", async () => {
    const bare = await startTestApp(["heater-1"]);
    try {
      expect((await bare.app.inject({ method: "GET", url: "/diagnosis.json" })).statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
