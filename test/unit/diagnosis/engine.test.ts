import { describe, expect, it } from "vitest";
import { diagnose } from "../../../src/diagnosis/engine.js";
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
    for (let i = 0; i < 6; i++) b.success().wait(20 + rnd() * 4000).drop(errs[i % 4] ?? "closed").wait(5 + rnd() * 20);
    return b.success();
  },
  aggressive_reconnect: () => {
    const b = new JournalBuilder().success().wait(3600).drop("hangup");
    for (let i = 0; i < 6; i++) b.wait(0.2).failure("refused");
    return b.wait(0.3).success();
  },
  server_maintenance: () => new JournalBuilder().cycles(1, 40_000, "disconnect", 2, 0x8b).wait(3600),
};

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
