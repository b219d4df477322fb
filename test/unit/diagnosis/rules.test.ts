import { describe, expect, it } from "vitest";
import { diagnose } from "../../../src/diagnosis/engine.js";
import { historyOf, type ConnectionHistory, type ReconnectSettings, type ServerSide } from "../../../src/diagnosis/history.js";
import { duplicateClientId } from "../../../src/diagnosis/rules.js";
import { JournalBuilder } from "../../helpers/journal-builder.js";

/** Retries 0.2 s apart after a drop: aggressive_reconnect. */
function retrying(reconnect?: ReconnectSettings) {
  const b = new JournalBuilder().success().wait(3600).drop("hangup");
  for (let i = 0; i < 6; i++) b.wait(0.2).failure("refused");
  b.wait(0.3).success();
  const f = diagnose(historyOf(b.collector(), reconnect ? { reconnect } : {})).findings.find((x) => x.cause === "aggressive_reconnect");
  expect(f).toBeDefined();
  return f?.recommendation ?? "";
}

describe("aggressive_reconnect's advice never repeats the configured backoff", () => {
  it("advises a 1 s minimum when the backoff is unknown or shorter", () => {
    expect(retrying()).toMatch(/^Set reconnect\.min_delay_ms to 1000 or more/);
    expect(retrying({ minDelayMs: 200, jitter: "full" })).toMatch(/^Set reconnect\.min_delay_ms to 1000 or more \(it is 200 ms\)/);
  });

  it("with a 1 s minimum already set, names what else retries that fast", () => {
    const full = retrying({ minDelayMs: 1000, jitter: "full" });
    expect(full).toMatch(/^reconnect\.min_delay_ms is already 1000 ms, but full jitter/);
    expect(full).not.toMatch(/Set reconnect\.min_delay_ms/);
    expect(retrying({ minDelayMs: 2000, jitter: "decorrelated" })).toMatch(/already 2000 ms with decorrelated jitter.*connect\(\)/);
  });
});

describe("too little to name a cause points at where the events are", () => {
  it("failed attempts with no recognisable pattern: connection_failures.recent, not recent_drops", () => {
    const b = new JournalBuilder();
    for (let i = 0; i < 4; i++) b.failure("disconnect").wait(2 ** i);
    const d = diagnose(historyOf(b.collector()));
    expect(d.status).toBe("insufficient_data");
    expect(d.note).toBe("4 drops or failed attempts with no recognisable pattern; see connection_failures.recent for their error names");
  });
});

describe("duplicate_client_id's pattern (short sessions ending in hang-ups) gives way to AWS's word", () => {
  /** Five 4 s sessions, each ended by a hang-up; `outcome`: what AWS's event joined to each drop says. */
  const fights = (outcome: ServerSide["server_outcome"]): ConnectionHistory => ({
    connection: "c",
    nowMs: Date.UTC(2026, 2, 2),
    connections: [],
    failures: [],
    keepAliveSeconds: 30,
    messagesPublished: 0,
    drops: Array.from({ length: 5 }, (_, i) => ({
      timestamp: new Date(Date.UTC(2026, 2, 1, 12, 0, 6 * i)).toISOString(),
      error_name: "AWS_IO_SOCKET_CLOSED",
      error_message: "",
      error_code: 1051,
      reconnect_attempt: 0,
      duration_connected_seconds: 4,
      active_subscriptions: 0,
      queued_commands: 0,
      disconnect_reason_code: null,
      server_reason: outcome == null ? null : "DUPLICATE_CLIENTID",
      server_outcome: outcome,
    })),
  });

  it("without AWS's events the pattern reads a fight over the client ID", () => {
    expect(duplicateClientId(fights(null))?.cause).toBe("duplicate_client_id");
  });

  it("AWS's events show each end was our own reconnect replacing our stale session (or the link dying): no fight", () => {
    expect(duplicateClientId(fights("self_takeover"))).toBeUndefined();
    expect(duplicateClientId(fights("keep_alive_expiry"))).toBeUndefined();
    expect(diagnose(fights("self_takeover")).findings.map((f) => f.cause)).not.toContain("duplicate_client_id");
  });
});
