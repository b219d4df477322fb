import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diagnose } from "../../../src/diagnosis/engine.js";
import { historyOf } from "../../../src/diagnosis/history.js";
import { idleTimeoutShape, unexplainedNetworkEvents } from "../../../src/diagnosis/link-rules.js";
import { CRT, JournalBuilder, type CrtKey } from "../../helpers/journal-builder.js";

const KEYS = Object.keys(CRT) as CrtKey[];

/** A random history: sessions of random or near-constant length ending in random errors. */
const histories = fc.record({
  keepAlive: fc.constantFrom(30, 45, 60, 120, 240, 300, 600),
  steps: fc.array(
    fc.record({
      length: fc.oneof(fc.integer({ min: 1, max: 4000 }), fc.constantFrom(40, 52, 95, 330)),
      err: fc.constantFrom(...KEYS),
      gap: fc.integer({ min: 1, max: 30 }),
    }),
    { minLength: 3, maxLength: 25 },
  ),
});

type History = typeof histories extends fc.Arbitrary<infer T> ? T : never;

function build({ keepAlive, steps }: History) {
  const b = new JournalBuilder();
  for (const s of steps) b.success(keepAlive).wait(s.length).drop(s.err).wait(s.gap);
  return historyOf(b.success(keepAlive).collector());
}

describe("idle timeout and unstable network never contradict each other", () => {
  it("no drop is claimed by both, and the advised keep-alive is always below the current one", () => {
    fc.assert(
      fc.property(histories, (input) => {
        const h = build(input);
        const shape = idleTimeoutShape(h);
        const d = diagnose(h);
        const nat = d.findings.find((f) => f.cause === "nat_idle_timeout");
        expect(nat !== undefined).toBe(shape !== undefined);
        if (shape === undefined) return;
        const claimed = new Set<object>(shape.idle);
        for (const e of unexplainedNetworkEvents(h, shape)) expect(claimed.has(e)).toBe(false);
        expect(shape.advisedKeepAlive).toBeLessThan(input.keepAlive);
        expect(nat?.recommendation).toContain(`from ${input.keepAlive} s`);
        expect(nat?.recommendation).toContain(`(e.g. ${shape.advisedKeepAlive} s)`);
      }),
      { numRuns: 300, seed: 10 },
    );
  });

  it("both can hold at once, and then network_unstable counts only the drops the idle timeout leaves", () => {
    const b = new JournalBuilder().cycles(5, 330, "ping", 2, undefined, 240);
    b.wait(100).drop("dns").wait(5).success(240).wait(1500).drop("sockTimeout").wait(5).success(240).wait(700).drop("refused").wait(3).success(240);
    const d = diagnose(historyOf(b.collector()));
    expect(d.findings.map((f) => f.cause)).toEqual(expect.arrayContaining(["nat_idle_timeout", "network_unstable"]));
    const net = d.findings.find((f) => f.cause === "network_unstable");
    expect(net?.evidence[0]).toBe(
      "3 network errors besides the 5 drops the idle timeout explains: AWS_IO_DNS_QUERY_FAILED ×1, AWS_IO_SOCKET_TIMEOUT ×1, AWS_IO_SOCKET_CONNECTION_REFUSED ×1",
    );
  });

  it("a keep-alive already at AWS IoT's minimum is never advised again", () => {
    const d = diagnose(historyOf(new JournalBuilder().cycles(6, 52, "timeout", 1, undefined, 30).collector()));
    expect(d.findings.map((f) => f.cause)).not.toContain("nat_idle_timeout");
  });
});
