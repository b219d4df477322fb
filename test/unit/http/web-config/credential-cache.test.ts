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

describe("CredentialCache.keepingGood", () => {
  it("keeps the good verdicts of the users named, under the same keys, and forgets every failure", () => {
    const c = new CredentialCache();
    const alice = c.key("alice", "a");
    const bob = c.key("bob", "b");
    const wrong = c.key("alice", "wrong");
    c.remember("alice", alice, true);
    c.remember("bob", bob, true);
    c.remember("alice", wrong, false);
    const next = c.keepingGood(["alice"]);
    expect(next.key("alice", "a").equals(alice)).toBe(true);
    expect(next.lookup("alice", alice)).toBe("good");
    expect(next.lookup("bob", bob)).toBe("unknown");
    expect(next.lookup("alice", wrong)).toBe("unknown");
  });
});
