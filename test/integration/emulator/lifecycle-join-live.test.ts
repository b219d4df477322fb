import { describe, expect, it } from "vitest";
import { diagnose } from "../../../src/diagnosis/engine.js";
import { historyOf } from "../../../src/diagnosis/history.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { observedDevice } from "../../helpers/observed-device.js";
import { pollUntil } from "../../helpers/poll.js";
import { testConnection } from "../../helpers/service.js";

// Issue 20's cases live: a real SDK client through the emulator, AWS's lifecycle events read by an
// observer on the broker behind it and joined to the client's drops by session identity.
const m = mosquittoSuite("live-join");

describe.each(["mqtt5", "mqtt311"] as const)("the lifecycle join, live through the emulator, %s SDK client", (protocol) => {
  it("our own stale session: after a path reset AWS never saw, our reconnect takes it over (DUPLICATE_CLIENTID), joined by session, no foreign device, no duplicate_client_id", async () => {
    // Keep-alive 30 s: AWS would wait 45 s of silence; the reconnect (after AWS's one CONNECT a second) comes long before.
    const o = await observedDevice(m, (port) =>
      testConnection({
        client_id: `selftake-${protocol}`,
        port,
        protocol,
        keep_alive_seconds: 30,
        reconnect: { min_delay_ms: 1200, max_delay_ms: 1200, jitter: "none" },
      }),
    );
    const { c, emulator, device } = o;
    const ROUNDS = 3;
    const takeovers = () => emulator.events.filter((e) => e.eventType === "disconnected" && e.disconnectReason === "DUPLICATE_CLIENTID");
    for (let i = 1; i <= ROUNDS; i++) {
      await pollUntil(() => c.isConnected || undefined, `connected before reset ${i}`, 20_000, 50);
      expect(emulator.loseRoute(device.client_id, true)).toBe(1);
      await pollUntil(() => (takeovers().length >= i && c.isConnected ? true : undefined), `reset ${i}: the reconnect took the stale session over`, 20_000, 50);
    }
    // AWS closed only sessions of ours, each after its newcomer (our reconnect) had connected.
    expect(emulator.events.filter((e) => e.eventType === "disconnected").map((e) => e.disconnectReason)).toEqual(Array(ROUNDS).fill("DUPLICATE_CLIENTID"));

    const drops = () => c.getRecentDrops(10);
    const joined = () => drops().map((d) => c.serverOutcomeOf(d));
    await pollUntil(
      () => (joined().filter((j) => j?.outcome === "self_takeover").length === ROUNDS ? true : undefined),
      `every drop joined as a self-takeover (${JSON.stringify(joined())})`,
      20_000,
      100,
    ).catch(() => undefined);
    expect(drops()).toHaveLength(ROUNDS);
    for (const j of joined()) expect(j).toMatchObject({ outcome: "self_takeover", by: "session" });
    expect(drops().map((d) => c.serverReasonOf(d))).toEqual(Array(ROUNDS).fill("DUPLICATE_CLIENTID"));
    // Each drop joined AWS's end of the very session it ended: the session the connect before it paired with.
    const exported = c.export();
    expect(exported.recent_drops.map((d) => d.server_outcome)).toEqual(Array(ROUNDS).fill("self_takeover"));

    // Once the window has passed: every connected event is ours, nothing half-open.
    await o.settled();
    const lifecycle = c.export().lifecycle;
    expect(lifecycle.foreign_sessions).toEqual({ total: 0, recent: [] });
    expect(lifecycle.half_open).toEqual([]);
    expect(c.foreignSessionCount).toBe(0);
    const diagnosis = diagnose(historyOf(c, { protocol }));
    expect(diagnosis.findings.map((f) => f.cause)).not.toContain("duplicate_client_id");
    expect(diagnosis.findings.flatMap((f) => f.evidence).join("\n")).toMatch(
      /of our own stale session by our own reconnect \(self-takeover, not another device\)/,
    );
  }, 120_000);

  it("a NAT mapping lost silently: the client gives up on its ping and reconnects before AWS's 1.5 x keep-alive; AWS closes our stale session for it: a self-takeover", async () => {
    // AWS's seconds run 10x faster (its 30 s minimum keep-alive is 3 s), so the client's 16 s stands:
    // the client gives up at most 16 s + 1 s after its last ping and is back 1.2 s later; AWS would wait 24 s.
    const o = await observedDevice(
      m,
      (port) =>
        testConnection({
          client_id: `natloss-${protocol}`,
          port,
          protocol,
          keep_alive_seconds: 16,
          ping_timeout_ms: 1000,
          reconnect: { min_delay_ms: 1200, max_delay_ms: 1200, jitter: "none" },
        }),
      { timeScale: 10 },
    );
    const { c, emulator, device } = o;
    await pollUntil(() => c.isConnected || undefined, "connected", 20_000, 50);
    expect(emulator.loseRoute(device.client_id)).toBe(1);
    const drop = await pollUntil(() => c.getRecentDrops(1)[0], "the client's drop", 40_000, 50);
    await pollUntil(() => emulator.events.find((e) => e.eventType === "disconnected"), "AWS's end of the stale session", 40_000, 50);
    expect(drop.error_name).toBe(protocol === "mqtt5" ? "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT" : "AWS_ERROR_MQTT_TIMEOUT");
    expect(emulator.events.filter((e) => e.eventType === "disconnected").map((e) => e.disconnectReason)).toEqual(["DUPLICATE_CLIENTID"]);
    await pollUntil(() => (c.serverOutcomeOf(drop)?.outcome === "self_takeover" ? true : undefined), "the drop joined as a self-takeover", 20_000, 100).catch(
      () => undefined,
    );
    expect(c.serverOutcomeOf(drop)).toMatchObject({ outcome: "self_takeover", by: "session" });
    await o.settled();
    expect(c.export().lifecycle.foreign_sessions.total).toBe(0);
    expect(c.export().lifecycle.half_open).toEqual([]);
    expect(diagnose(historyOf(c, { protocol })).findings.map((f) => f.cause)).not.toContain("duplicate_client_id");
  }, 120_000);

  it("a silent path: the client gives up on its ping first, AWS's MQTT_KEEP_ALIVE_TIMEOUT comes after (1.5 x keep-alive): joined by session, server_outcome set, not half-open", async () => {
    // AWS's seconds run 10x faster (its 30 s minimum keep-alive is 3 s), so the client's 6 s stands:
    // the client gives up 6 s + 1 s after its last ping, AWS 9 s after it, 2 s later.
    const o = await observedDevice(
      m,
      (port) =>
        testConnection({
          client_id: `kaexpiry-${protocol}`,
          port,
          protocol,
          keep_alive_seconds: 6,
          ping_timeout_ms: 1000,
          reconnect: { min_delay_ms: 500, max_delay_ms: 500, jitter: "none" },
        }),
      { timeScale: 10 },
    );
    const { c, emulator } = o;
    await pollUntil(() => c.isConnected || undefined, "connected", 20_000, 50);
    emulator.setBlackhole(true);
    const drop = await pollUntil(() => c.getRecentDrops(1)[0], "the client's drop", 30_000, 50);
    const awsGaveUp = () => emulator.events.find((e) => e.eventType === "disconnected" && e.disconnectReason === "MQTT_KEEP_ALIVE_TIMEOUT");
    await pollUntil(() => awsGaveUp(), "AWS's keep-alive timeout", 30_000, 50);
    emulator.setBlackhole(false);
    await pollUntil(() => c.isConnected || undefined, "reconnected", 20_000, 50);

    await pollUntil(() => (c.serverOutcomeOf(drop) !== null ? true : undefined), "the drop joined AWS's event", 20_000, 100).catch(() => undefined);
    expect(drop.error_name).toBe(protocol === "mqtt5" ? "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT" : "AWS_ERROR_MQTT_TIMEOUT");
    const outcome = c.serverOutcomeOf(drop);
    expect(outcome).toMatchObject({ outcome: "keep_alive_expiry", by: "session" });
    // AWS's event came after the client's drop (the scenario's order, not a duration).
    expect(outcome?.delayMs).toBeGreaterThan(0);
    expect(c.export().recent_drops[0]).toMatchObject({ server_reason: "MQTT_KEEP_ALIVE_TIMEOUT", server_outcome: "keep_alive_expiry" });
    await o.settled();
    expect(c.export().lifecycle.half_open).toEqual([]);
    expect(c.export().lifecycle.foreign_sessions.total).toBe(0);
  }, 120_000);
});
