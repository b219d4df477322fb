import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import { AWS_DISCONNECT_REASONS } from "../../../src/aws-join/events.js";
import { diagnose } from "../../../src/diagnosis/engine.js";
import type { ConnectionHistory } from "../../../src/diagnosis/history.js";
import { lifecycleFindings } from "../../../src/diagnosis/lifecycle-rules.js";
import { CAUSES, type CauseId, type Diagnosis, type Finding } from "../../../src/diagnosis/types.js";

// CAUSES against the two places a cause comes from (the pattern rules, AWS's lifecycle reasons)
// and the doc that explains each one.
const SRC = new URL("../../../src/diagnosis/", import.meta.url);
const doc = readFileSync(new URL("../../../docs/diagnosis.md", import.meta.url), "utf8");

/** Causes the pattern rules name (`cause: "…"` literals in src/diagnosis). */
const patternCauses = new Set(
  readdirSync(SRC)
    .filter((f) => f.endsWith(".ts") && f !== "types.ts")
    .flatMap((f) => [...readFileSync(new URL(f, SRC), "utf8").matchAll(/\bcause: "([a-z_]+)"/g)].map((m) => m[1] ?? "")),
);

/** Causes the lifecycle mapping gives: a drop per AWS disconnect reason, a failure per connect failure reason. */
function lifecycleCauses(): Set<CauseId> {
  const at = (i: number) => new Date(Date.UTC(2026, 2, 1, 12, i)).toISOString();
  const h: ConnectionHistory = {
    connection: "c",
    nowMs: Date.UTC(2026, 2, 2),
    connections: [],
    keepAliveSeconds: 60,
    messagesPublished: 0,
    drops: AWS_DISCONNECT_REASONS.map((server_reason, i) => ({
      timestamp: at(i),
      error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
      error_message: "",
      error_code: 5134,
      reconnect_attempt: 0,
      duration_connected_seconds: 60,
      active_subscriptions: 0,
      queued_commands: 0,
      disconnect_reason_code: null,
      server_reason,
    })),
    // AWS's only documented connectFailureReason (src/aws-join/events.ts).
    failures: [
      {
        timestamp: at(59),
        error_name: "AWS_IO_TLS_ERROR_READ_FAILURE",
        error_message: null,
        error_code: 1178,
        connack_reason_code: null,
        server_reason: "AUTHORIZATION_FAILED",
      },
    ],
  };
  return new Set(lifecycleFindings(h).map((f) => f.cause));
}

describe("diagnosis/types: CAUSES", () => {
  it("lists each cause once, and is what findings, diagnoses and CauseId use", () => {
    expect(new Set(CAUSES).size).toBe(CAUSES.length);
    expectTypeOf<CauseId>().toEqualTypeOf<(typeof CAUSES)[number]>();
    expectTypeOf<Finding["cause"]>().toEqualTypeOf<CauseId>();
    expectTypeOf(diagnose).returns.toEqualTypeOf<Diagnosis>();
    expectTypeOf<Diagnosis["status"]>().toEqualTypeOf<"healthy" | "findings" | "insufficient_data">();
  });

  it("every cause is produced by a pattern rule or by AWS's lifecycle reasons, and nothing else is", () => {
    const lifecycle = lifecycleCauses();
    expect([...new Set([...patternCauses, ...lifecycle])].sort()).toEqual([...CAUSES].sort());
    // The causes only AWS names, as the doc lists them after "named only by … lifecycle events".
    const onlyAws = /named only by AWS IoT Core's lifecycle events[^,]*,([^.]*)\./.exec(doc)?.[1] ?? "";
    const documented = [...onlyAws.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    expect(documented).toEqual(CAUSES.filter((c) => !patternCauses.has(c)));
    for (const c of documented) expect(lifecycle.has(c as CauseId), c).toBe(true);
  });

  it("docs/diagnosis.md lists every cause, in order, and gives each a row in a rule table", () => {
    const list = /^Causes: ([\s\S]*?)\. `status`/m.exec(doc)?.[1] ?? "";
    expect([...list.matchAll(/`([a-z_]+)`/g)].map((m) => m[1])).toEqual([...CAUSES]);
    const rows = doc.split("\n").filter((l) => l.startsWith("| "));
    for (const c of CAUSES)
      expect(
        rows.some((r) => r.includes(`| \`${c}\``)),
        c,
      ).toBe(true);
  });
});
