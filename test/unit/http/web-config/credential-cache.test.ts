import { describe, expect, it } from "vitest";
import { CredentialCache } from "../../../../src/http/web-config/credential-cache.js";

describe("CredentialCache", () => {
  it("keys are per-process HMACs: the same credentials, the same key here, another key elsewhere", () => {
    const a = new CredentialCache();
    const b = new CredentialCache();
    expect(a.key("u", "p").equals(a.key("u", "p"))).toBe(true);
    expect(a.key("u", "p").equals(b.key("u", "p"))).toBe(false);
    // The user/password split is part of the key.
    expect(a.key("u:", "p").equals(a.key("u", ":p"))).toBe(false);
  });

  it("remembers bad verdicts in a bounded LRU, good ones per user apart from it", () => {
    const c = new CredentialCache(2);
    const good = c.key("alice", "right");
    c.remember("alice", good, true);
    const bad = ["w1", "w2", "w3"].map((p) => c.key("alice", p));
    for (const k of bad) c.remember("alice", k, false);
    expect(c.lookup("alice", good)).toBe("good");
    expect(c.lookup("alice", bad[0] as Buffer)).toBe("unknown");
    expect(c.lookup("alice", bad[2] as Buffer)).toBe("bad");
    // A hit is a use: w2 survives the next insertion, w3 (older use) goes.
    expect(c.lookup("alice", bad[1] as Buffer)).toBe("bad");
    c.remember("alice", c.key("alice", "w4"), false);
    expect(c.lookup("alice", bad[1] as Buffer)).toBe("bad");
    expect(c.lookup("alice", bad[2] as Buffer)).toBe("unknown");
  });
});
