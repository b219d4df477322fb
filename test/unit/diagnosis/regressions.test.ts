import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { createDiagnoser } from "../../../src/diagnosis/diagnoser.js";
import type { ConfiguredConnection } from "../../../src/diagnosis/history.js";
import type { Diagnosis } from "../../../src/diagnosis/types.js";
import { restoreJournal } from "../../../src/journal/restore.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/journals/diagnosis/${name}`, import.meta.url));
const quiet = { warn: () => undefined, error: () => undefined };

/** Replays a fixture journal as the service restores one, and diagnoses it as the service does. */
async function diagnoseJournal(name: string, connection: string, configured: ConfiguredConnection): Promise<Diagnosis> {
  const lines = readFileSync(fixture(name), "utf8").trim().split("\n");
  const lastMs = Date.parse((JSON.parse(lines.at(-1) ?? "{}") as { ts: string }).ts);
  const clock = new ManualClock(lastMs);
  const registry = new CollectorRegistry({ clock, logger: quiet });
  const stats = await restoreJournal(fixture(name), registry, { logger: quiet });
  expect(stats.skipped).toBe(0);
  clock.set(lastMs + 1000);
  const d = createDiagnoser(registry, new Map([[connection, configured]]))(connection);
  if (d === undefined) throw new Error(`no connection ${connection} in ${name}`);
  return d;
}
const causes = (d: Diagnosis) => d.findings.map((f) => f.cause);

describe("diagnosis regressions (issue 10), replayed from journals", () => {
  it("a TLS negotiation timeout is network evidence, not a refusal: the broker froze", async () => {
    const d = await diagnoseJournal("tls-negotiation-timeout.jsonl", "broker-freeze", { keepAliveSeconds: 60, protocol: "mqtt5" });
    expect(causes(d)).not.toContain("auth_or_policy");
    expect(causes(d)[0]).toBe("network_unstable");
    expect(d.findings[0]?.evidence.join(" ")).toContain("AWS_IO_TLS_NEGOTIATION_TIMEOUT ×7");
  });

  it("a client certificate the broker does not trust is auth_or_policy, read from the failed attempts", async () => {
    const d = await diagnoseJournal("untrusted-client-cert.jsonl", "untrusted-cert", { keepAliveSeconds: 60, protocol: "mqtt5" });
    expect(d.status).toBe("findings");
    expect(causes(d)[0]).toBe("auth_or_policy");
    expect(d.findings[0]?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(d.findings[0]?.evidence).toContain("9 failed attempts: AWS_IO_TLS_ERROR_READ_FAILURE ×9");
  });

  it("the demo after twenty minutes: no advice to set what is set, no two findings that contradict", async () => {
    const d = await diagnoseJournal("demo-20min.jsonl", "demo", { keepAliveSeconds: 30, protocol: "mqtt311", reconnect: { minDelayMs: 1000, jitter: "full" } });
    // The keep-alive is 30 s, AWS IoT's minimum: an idle timeout cannot be what ends sessions of
    // ~50 s while pings go every 30 s, and "lower it to 30 s" would repeat the setting.
    expect(causes(d)).not.toContain("nat_idle_timeout");
    for (const f of d.findings) expect(f.recommendation, f.cause).not.toMatch(/keep_alive_seconds[^.]*\(e\.g\. 3[01] s\)/);
    expect(causes(d)).toContain("network_unstable");
    expect(causes(d)).toContain("duplicate_client_id");
    // What MQTT 3.1.1 cannot show is said.
    expect(d.limits?.[0]).toMatch(/^MQTT 3\.1\.1: aws-crt reports no event for a failed automatic reconnect/);
  });
});
