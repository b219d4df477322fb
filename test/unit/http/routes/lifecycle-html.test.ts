import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiagnoser } from "../../../../src/diagnosis/diagnoser.js";
import { connectedEvent, disconnectedEvent } from "../../../../src/emulator/lifecycle-events.js";
import { hangup, startTestApp, T0, type TestApp } from "../../../helpers/app.js";

const s = (n: number, ip = "198.51.100.1") => ({ clientId: "dev-1", sessionIdentifier: `s-${n}`, principalIdentifier: "p", ipAddress: ip, versionNumber: n });

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(["dev-1"], (registry) => ({ diagnoser: createDiagnoser(registry) }));
  const c = t.registry.getOrCreate("dev-1");
  c.recordConnectionSuccess({ clientId: "dev-1" });
  c.recordLifecycleEvent(connectedEvent(s(1), T0));
  t.clock.advance(600_000);
  // Another device takes our client ID over: AWS says so; the client sees a hang-up.
  c.recordLifecycleEvent(connectedEvent(s(2, "203.0.113.9"), t.clock.now() - 200));
  c.recordConnectionDrop({ error: hangup });
  c.recordLifecycleEvent(disconnectedEvent(s(1), t.clock.now() - 150, "DUPLICATE_CLIENTID"));
  t.clock.advance(30_000);
  c.recordConnectionSuccess({ eventType: "resumed", clientId: "dev-1" });
  c.recordLifecycleEvent(connectedEvent(s(3), t.clock.now()));
  t.clock.advance(11_000);
  c.settleLifecycle();
});
afterAll(async () => t.close());

describe("the status page shows AWS's side", () => {
  it("the drop's AWS reason, the other device's IP in a note and in the diagnosis", async () => {
    const html = (await t.app.inject({ method: "GET", url: "/" })).body;
    expect(html).toContain("<th>AWS reason</th>");
    expect(html).toContain("<td>DUPLICATE_CLIENTID</td>");
    expect(html).toMatch(/Another device is using this client ID[\s\S]*connected from <strong>203\.0\.113\.9<\/strong>/);
    expect(html).toMatch(/<strong>duplicate_client_id<\/strong>[\s\S]*203\.0\.113\.9/);
  });

  it("/diagnostics.json: server_reason on the drop, the foreign session with its IP", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/diagnostics.json?connection=dev-1" })).json<{
      recent_drops: { server_reason: string }[];
      lifecycle: { foreign_sessions: { recent: { ip_address: string }[] } };
    }>();
    expect(doc.recent_drops[0]?.server_reason).toBe("DUPLICATE_CLIENTID");
    const diagnosis = (await t.app.inject({ method: "GET", url: "/diagnosis.json?connection=dev-1" })).json<{
      findings: { cause: string; evidence: string[] }[];
    }>();
    expect(diagnosis.findings[0]?.cause).toBe("duplicate_client_id");
    expect(diagnosis.findings[0]?.evidence.join(" ")).toContain("203.0.113.9");
    expect(doc.lifecycle.foreign_sessions.recent.map((f) => f.ip_address)).toEqual(["203.0.113.9"]);
  });
});

describe("the status page: keep-alive expiries, self-takeovers and a skewed clock", () => {
  it("says how late AWS's keep-alive expiry came, that a takeover was our own reconnect, and warns of the clock", async () => {
    const app = await startTestApp(["dev-2"]);
    try {
      const c = app.registry.getOrCreate("dev-2");
      const skew = 120_000;
      const f = (n: number) => ({ ...s(n), clientId: "dev-2" });
      c.recordConnectionSuccess({ clientId: "dev-2" });
      c.recordLifecycleEvent(connectedEvent(f(1), app.clock.now() + skew));
      app.clock.advance(1_200_000);
      c.recordConnectionDrop({ error: hangup });
      app.clock.advance(5_000);
      c.recordConnectionSuccess({ clientId: "dev-2" });
      c.recordLifecycleEvent(connectedEvent(f(2), app.clock.now() + skew));
      c.recordLifecycleEvent(disconnectedEvent(f(1), app.clock.now() + skew, "DUPLICATE_CLIENTID"));
      app.clock.advance(600_000);
      c.recordConnectionDrop({ error: hangup });
      app.clock.advance(597_000);
      c.recordLifecycleEvent(disconnectedEvent(f(2), app.clock.now() + skew, "MQTT_KEEP_ALIVE_TIMEOUT"));
      const html = (await app.app.inject({ method: "GET", url: "/" })).body;
      expect(html).toContain("<td>DUPLICATE_CLIENTID (our own reconnect; AWS +5 s)</td>");
      expect(html).toContain("<td>MQTT_KEEP_ALIVE_TIMEOUT (AWS +597 s)</td>");
      expect(html).toContain("the client&#39;s clock is 120.0 s behind");
    } finally {
      await app.close();
    }
  });
});
