import { describe, expect, it } from "vitest";
import type { ConnectionHistory } from "../../../src/diagnosis/history.js";
import { lifecycleFindings, shapeEvidence, unexplained } from "../../../src/diagnosis/lifecycle-rules.js";

const drop = (server_reason: string | null, i: number) => ({
  timestamp: new Date(Date.UTC(2026, 2, 1, 12, i)).toISOString(),
  error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
  error_message: "",
  error_code: 5134,
  reconnect_attempt: 0,
  duration_connected_seconds: 60,
  active_subscriptions: 0,
  queued_commands: 0,
  disconnect_reason_code: null,
  server_reason,
});
const history = (reasons: (string | null)[]): ConnectionHistory => ({
  connection: "c",
  nowMs: Date.UTC(2026, 2, 2),
  drops: reasons.map(drop),
  connections: [],
  failures: [],
  keepAliveSeconds: 60,
  messagesPublished: 0,
  foreignSessions: [{ timestamp: "2026-03-01T12:00:00.000Z", ip_address: "203.0.113.9" }],
});

describe("lifecycle rules", () => {
  it("the pattern rules read only what AWS did not explain; the link-died reasons stay with them", () => {
    const h = history(["THROTTLED", null, "CONNECTION_LOST", "MQTT_KEEP_ALIVE_TIMEOUT", "SOME_NEW_REASON"]);
    expect(unexplained(h).drops.map((d) => d.server_reason)).toEqual([null, "CONNECTION_LOST", "MQTT_KEEP_ALIVE_TIMEOUT", "SOME_NEW_REASON"]);
    expect(unexplained(history([null]))).toEqual(history([null]));
    expect(shapeEvidence(h)?.count).toBe(2);
  });

  it("one finding per cause, decisive (≥ 0.8, more with each event), DUPLICATE_CLIENTID with the other session's IP", () => {
    const f = lifecycleFindings(history(["DUPLICATE_CLIENTID", "DUPLICATE_CLIENTID", "AUTH_ERROR", "FORBIDDEN_ACCESS"]));
    expect(f.map((x) => x.cause)).toEqual(["duplicate_client_id", "auth_or_policy"]);
    expect(f.every((x) => x.confidence >= 0.8 && x.confidence <= 0.99)).toBe(true);
    expect(f[0]?.evidence.join(" ")).toContain("203.0.113.9 ×1");
    expect(f[1]?.evidence[0]).toContain("AUTH_ERROR ×1, FORBIDDEN_ACCESS ×1");
  });
});
