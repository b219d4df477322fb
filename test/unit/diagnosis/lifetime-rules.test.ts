import { describe, expect, it } from "vitest";
import { diagnose } from "../../../src/diagnosis/engine.js";
import { historyOf } from "../../../src/diagnosis/history.js";
import { farAboveKeepAlive, fixedSessionLifetime } from "../../../src/diagnosis/lifetime-rules.js";
import { JournalBuilder } from "../../helpers/journal-builder.js";

describe("fixed lifetimes", () => {
  it("far above the keep-alive: at least an hour and more than 4 keep-alives", () => {
    expect(farAboveKeepAlive(86_400, 300)).toBe(true);
    expect(farAboveKeepAlive(3_000, 60)).toBe(false);
    expect(farAboveKeepAlive(4_000, 1_200)).toBe(false);
    expect(farAboveKeepAlive(4_000, null)).toBe(true);
  });

  it("24 h sessions with 300 s pings and no transport recorded: fixed_session_lifetime, not an idle timeout", () => {
    const b = new JournalBuilder().cycles(6, 86_400, "ping", 2, undefined, 300);
    const h = historyOf(b.collector());
    expect(fixedSessionLifetime(h)?.evidence.join(" ")).toContain("transport not recorded");
    expect(diagnose(h).findings.map((f) => f.cause)).toEqual(["fixed_session_lifetime"]);
  });

  it("sessions that vary, or are short, are no fixed lifetime", () => {
    expect(fixedSessionLifetime(historyOf(new JournalBuilder().cycles(6, 340, "ping", 2, undefined, 240).collector()))).toBeUndefined();
    let n = 0;
    expect(fixedSessionLifetime(historyOf(new JournalBuilder().cycles(6, () => 20_000 + 5_000 * n++, "ping", 2, undefined, 300).collector()))).toBeUndefined();
  });
});
