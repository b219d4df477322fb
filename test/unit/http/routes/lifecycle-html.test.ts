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
    const doc = (await t.app.inject({ method: "GET", url: "/diagnostics.json?connection=dev-1" })).json<{ recent_drops: { server_reason: string }[]; lifecycle: { foreign_sessions: { recent: { ip_address: string }[] } } }>();
    expect(doc.recent_drops[0]?.server_reason).toBe("DUPLICATE_CLIENTID");
    const diagnosis = (await t.app.inject({ method: "GET", url: "/diagnosis.json?connection=dev-1" })).json<{ findings: { cause: string; evidence: string[] }[] }>();
    expect(diagnosis.findings[0]?.cause).toBe("duplicate_client_id");
    expect(diagnosis.findings[0]?.evidence.join(" ")).toContain("203.0.113.9");
    expect(doc.lifecycle.foreign_sessions.recent.map((f) => f.ip_address)).toEqual(["203.0.113.9"]);
  });
});
