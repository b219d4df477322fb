import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { diagnose, limitsOf, MQTT311_BLIND_SPOT } from "../../../src/diagnosis/engine.js";
import { formatDiagnosis } from "../../../src/diagnosis/format.js";
import { historyOf } from "../../../src/diagnosis/history.js";
import type { CauseId } from "../../../src/diagnosis/types.js";
import { JournalBuilder, seeded } from "../../helpers/journal-builder.js";

const run = (b: JournalBuilder) => diagnose(historyOf(b.collector()));
const causes = (b: JournalBuilder) => run(b).findings.map((f) => f.cause);

const rnd = seeded(42);
const JOURNALS: Record<CauseId, () => JournalBuilder> = {
  duplicate_client_id: () => new JournalBuilder().cycles(4, 1800, "disconnect", 1.5, 0x8e),
  nat_idle_timeout: () => new JournalBuilder().cycles(6, () => 340 + rnd() * 8, "ping", 2, undefined, 240),
  keep_alive_too_long: () => new JournalBuilder().cycles(2, () => 3000 + rnd() * 9000, "hangup", 3, undefined, 1200),
  aws_connection_ttl: () => new JournalBuilder().cycles(3, () => 86400 + rnd() * 5, "disconnect", 1, 0xa0),
  server_throttling: () => new JournalBuilder().cycles(3, () => 600 + rnd() * 900, "disconnect", 5, 0x96),
  auth_or_policy: () => {
    const b = new JournalBuilder();
    for (let i = 0; i < 4; i++) b.failure("tls").wait(2 ** i);
    b.failure("connackRefused", 0x87);
    return b;
  },
  network_unstable: () => {
    const b = new JournalBuilder();
    const errs = ["sockTimeout", "dns", "closed", "refused"] as const;
    for (let i = 0; i < 6; i++)
      b.success()
        .wait(20 + rnd() * 4000)
        .drop(errs[i % 4] ?? "closed")
        .wait(5 + rnd() * 20);
    return b.success();
  },
  aggressive_reconnect: () => {
    const b = new JournalBuilder().success().wait(3600).drop("hangup");
    for (let i = 0; i < 6; i++) b.wait(0.2).failure("refused");
    return b.wait(0.3).success();
  },
  server_maintenance: () => new JournalBuilder().cycles(1, 40_000, "disconnect", 2, 0x8b).wait(3600),
  // Causes only AWS's lifecycle reasons show (an MQTT 3.1.1 client sees a hang-up each time).
  api_initiated_disconnect: () => awsDrops(2, "API_INITIATED_DISCONNECT"),
  client_closed: () => awsDrops(1, "CLIENT_INITIATED_DISCONNECT"),
  aws_server_error: () => awsDrops(1, "SERVER_ERROR"),
  client_protocol_error: () => awsDrops(3, "CLIENT_ERROR"),
  // Issue 20: 24 h sessions (+/- 5 s) with 300 s pings, transport not recorded: the path's lifetime, not an idle timeout.
  fixed_session_lifetime: () => new JournalBuilder().cycles(6, () => 86400 + rnd() * 5, "hangup", 2, undefined, 300),
};

/** `n` hour-long sessions ending in hang-ups, each joined to AWS's `reason`. */
function awsDrops(n: number, reason: string): JournalBuilder {
  const b = new JournalBuilder();
  for (let i = 0; i < n; i++)
    b.success()
      .wait(3600 + i * 600)
      .drop("hangup")
      .aws(reason)
      .wait(3);
  return b.success();
}

describe("diagnosis: each cause's journal gives that cause first", () => {
  it.each(Object.entries(JOURNALS))("%s", (cause, make) => {
    const d = run(make());
    expect(d.status).toBe("findings");
    expect(d.findings[0]?.cause, JSON.stringify(d.findings.map((f) => [f.cause, f.confidence]))).toBe(cause);
    const top = d.findings[0];
    expect(top?.confidence).toBeGreaterThan(0);
    expect(top?.confidence).toBeLessThanOrEqual(1);
    expect(top?.evidence.length).toBeGreaterThan(0);
    expect(top?.recommendation.length).toBeGreaterThan(20);
  });
});

describe("diagnosis: mixed, healthy, too short", () => {
  it("a journal with two causes gives both", () => {
    const b = JOURNALS.duplicate_client_id();
    b.wait(10).drop("disconnect", 0x96).wait(3).success().wait(100).drop("disconnect", 0x97).wait(3).success();
    expect(causes(b)).toEqual(expect.arrayContaining(["duplicate_client_id", "server_throttling"]));
  });

  it("a healthy journal gives no findings", () => {
    const b = new JournalBuilder().success().wait(86_000);
    const d = run(b);
    expect(d.status).toBe("healthy");
    expect(d.findings).toEqual([]);
  });

  it("a journal too short to judge says so rather than guessing", () => {
    const d = run(new JournalBuilder().success().wait(120).drop("hangup").wait(2).success());
    expect(d.status).toBe("insufficient_data");
    expect(d.findings).toEqual([]);
    expect(d.note).toMatch(/too little/);
  });

  it("more evidence gives more confidence", () => {
    const few = run(new JournalBuilder().cycles(3, 330, "ping", 2, undefined, 240)).findings[0];
    const many = run(new JournalBuilder().cycles(12, 330, "ping", 2, undefined, 240)).findings[0];
    expect(few?.cause).toBe("nat_idle_timeout");
    expect(many?.confidence).toBeGreaterThan(few?.confidence ?? 1);
  });

  it("prints findings in plain words", () => {
    const text = formatDiagnosis(run(JOURNALS.nat_idle_timeout()));
    expect(text).toMatch(/^DIAGNOSIS \(device-1\): findings/);
    expect(text).toContain("1. nat_idle_timeout");
    expect(text).toContain("What to change:");
  });
});

describe("diagnosis: AWS IoT Core's lifecycle reasons are decisive", () => {
  const MAPPING: [string, CauseId][] = [
    ["DUPLICATE_CLIENTID", "duplicate_client_id"],
    ["THROTTLED", "server_throttling"],
    ["AUTH_ERROR", "auth_or_policy"],
    ["FORBIDDEN_ACCESS", "auth_or_policy"],
    ["WEBSOCKET_TTL_EXPIRATION", "aws_connection_ttl"],
    ["CUSTOMAUTH_TTL_EXPIRATION", "aws_connection_ttl"],
    ["SERVER_INITIATED_DISCONNECT", "server_maintenance"],
    ["API_INITIATED_DISCONNECT", "api_initiated_disconnect"],
    ["CLIENT_INITIATED_DISCONNECT", "client_closed"],
    ["SERVER_ERROR", "aws_server_error"],
    ["CLIENT_ERROR", "client_protocol_error"],
  ];

  it.each(MAPPING)("%s names %s first, over the pattern the hang-ups alone would show", (reason, cause) => {
    // Hang-ups after minutes, reconnecting in 2 s: alone, they read as an unstable network.
    const b = new JournalBuilder();
    for (let i = 0; i < 4; i++)
      b.success()
        .wait(200 + i * 97)
        .drop(i % 2 ? "closed" : "hangup")
        .aws(reason, 300)
        .wait(2);
    b.success();
    const alone = new JournalBuilder();
    for (let i = 0; i < 4; i++)
      alone
        .success()
        .wait(200 + i * 97)
        .drop(i % 2 ? "closed" : "hangup")
        .wait(2);
    expect(causes(alone.success())[0]).toBe("network_unstable");
    const d = run(b);
    expect(d.findings[0]?.cause).toBe(cause);
    expect(d.findings[0]?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(d.findings[0]?.evidence[0]).toContain(`${reason} ×4`);
    expect(d.findings.map((f) => f.cause)).not.toContain("network_unstable");
  });

  it("a connect failure AWS refused (AUTHORIZATION_FAILED) is auth_or_policy", () => {
    const b = new JournalBuilder().failure("closed").aws("AUTHORIZATION_FAILED", 100, "connect_failed");
    expect(run(b).findings[0]).toMatchObject({ cause: "auth_or_policy" });
  });

  it("DUPLICATE_CLIENTID names the other session's IP address", () => {
    const b = new JournalBuilder().success().wait(600).foreign("203.0.113.9", -200).drop("hangup").aws("DUPLICATE_CLIENTID", -150).wait(30).success();
    const top = run(b).findings[0];
    expect(top?.cause).toBe("duplicate_client_id");
    expect(top?.evidence.join(" ")).toContain("203.0.113.9");
  });

  it("CONNECTION_LOST and MQTT_KEEP_ALIVE_TIMEOUT go with the session-shape rules", () => {
    const nat = JOURNALS.nat_idle_timeout();
    const shaped = new JournalBuilder();
    for (const l of nat.lines) {
      shaped.lines.push(l);
      if (l.kind === "connection_drop") {
        shaped.t = Date.parse(l.ts);
        shaped.aws("MQTT_KEEP_ALIVE_TIMEOUT");
      }
    }
    shaped.t = nat.t;
    const d = run(shaped);
    expect(d.findings[0]?.cause).toBe("nat_idle_timeout");
    expect(d.findings[0]?.evidence.join(" ")).toContain("MQTT_KEEP_ALIVE_TIMEOUT ×6");
  });

  it("aws_connection_ttl: fixed 24 h sessions count only on WebSocket or custom-auth transports", () => {
    const day = (transport?: string) => {
      const b = new JournalBuilder();
      for (let i = 0; i < 3; i++) {
        b.success();
        if (transport !== undefined) (b.lines[b.lines.length - 1] as Record<string, unknown>)["transport"] = transport;
        b.wait(86_400 + i)
          .drop("hangup")
          .wait(1);
      }
      b.success();
      if (transport !== undefined) (b.lines[b.lines.length - 1] as Record<string, unknown>)["transport"] = transport;
      return b;
    };
    expect(causes(day("websocket"))).toContain("aws_connection_ttl");
    expect(causes(day("custom_auth"))).toContain("aws_connection_ttl");
    expect(causes(day("mtls"))).not.toContain("aws_connection_ttl");
    expect(causes(day())).not.toContain("aws_connection_ttl"); // older journals: mtls
  });
});

describe("limitsOf", () => {
  it("names the MQTT 3.1.1 blind spot, and nothing for MQTT 5 or an unknown protocol", () => {
    const collector = new MqttDiagnosticsCollector({ clock: new ManualClock(0) });
    expect(limitsOf(historyOf(collector, { protocol: "mqtt311" }))).toEqual([MQTT311_BLIND_SPOT]);
    expect(limitsOf(historyOf(collector, { protocol: "mqtt5" }))).toEqual([]);
    expect(limitsOf(historyOf(collector))).toEqual([]);
  });
});
