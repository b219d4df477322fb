import bcrypt from "bcryptjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BasicAuthChecker, BCRYPT_HASH, bcryptCost, dummyHashFor, sourceKey } from "../../../../src/http/web-config/basic-auth.js";

const checkers: BasicAuthChecker[] = [];
afterEach(async () => {
  for (const c of checkers.splice(0)) await c.close();
});
function checker(users: Record<string, string>, options: { maxQueued?: number; maxCachedFailures?: number } = {}) {
  const c = new BasicAuthChecker(new Map(Object.entries(users)), options);
  checkers.push(c);
  return c;
}

describe("basic auth checks (bcrypt on a worker, verdicts cached)", () => {
  const hash = bcrypt.hashSync("s3cret", 4);

  it("right password ok, wrong or unknown user denied", async () => {
    const c = checker({ alice: hash });
    expect(await c.check("alice", "s3cret")).toBe("ok");
    expect(await c.check("alice", "wrong")).toBe("denied");
    expect(await c.check("bob", "s3cret")).toBe("denied");
  });

  it("a failed verification is cached as well as a good one", async () => {
    const c = checker({ alice: hash });
    const verify = vi.spyOn(c.verifier, "verify");
    expect(await c.check("alice", "wrong")).toBe("denied");
    expect(await c.check("alice", "wrong")).toBe("denied");
    expect(await c.check("alice", "s3cret")).toBe("ok");
    expect(await c.check("alice", "s3cret")).toBe("ok");
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it("a flood of distinct wrong passwords does not evict the real user's cached verdict", async () => {
    const c = checker({ alice: hash }, { maxCachedFailures: 2 });
    expect(await c.check("alice", "s3cret")).toBe("ok");
    for (let i = 0; i < 6; i++) expect(await c.check("alice", `wrong-${i}`)).toBe("denied");
    const verify = vi.spyOn(c.verifier, "verify");
    expect(await c.check("alice", "s3cret")).toBe("ok");
    expect(verify).not.toHaveBeenCalled();
  });

  it("an unknown user is compared against a hash of the highest configured cost", async () => {
    const c = checker({ cheap: bcrypt.hashSync("a", 4), dear: bcrypt.hashSync("b", 6) });
    const verify = vi.spyOn(c.verifier, "verify");
    expect(await c.check("nobody", "x")).toBe("denied");
    expect(bcryptCost(verify.mock.calls[0]?.[1] ?? "")).toBe(6);
    const dummy = dummyHashFor([hash]);
    expect(dummy).toHaveLength(60);
    expect(bcrypt.compareSync("", dummy)).toBe(false);
  });

  it("one comparison at a time with a bounded queue: beyond it, busy at once", async () => {
    const c = checker({ alice: bcrypt.hashSync("s3cret", 8) }, { maxQueued: 2 });
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => c.check("alice", `wrong-${i}`)));
    expect(outcomes.filter((o) => o === "denied")).toHaveLength(3);
    expect(outcomes.filter((o) => o === "busy")).toHaveLength(5);
    // Once the queue drains, a verification is accepted again.
    expect(await c.check("alice", "s3cret")).toBe("ok");
  });

  it("concurrent checks of the same credentials share one comparison", async () => {
    const c = checker({ alice: hash });
    const verify = vi.spyOn(c.verifier, "verify");
    expect(await Promise.all([c.check("alice", "s3cret"), c.check("alice", "s3cret")])).toEqual(["ok", "ok"]);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it("closed: every pending comparison is denied, never allowed", async () => {
    const c = checker({ alice: bcrypt.hashSync("s3cret", 8) });
    const pending = c.check("alice", "s3cret");
    await c.close();
    expect(await pending).toBe("denied");
  });
});

describe("BasicAuthChecker.withUsers (a reload)", () => {
  const hash = bcrypt.hashSync("s3cret", 4);

  it("an identical table keeps the checker itself; a changed one keeps the good verdicts of unchanged users", async () => {
    const c = checker({ alice: hash, bob: hash });
    expect(await c.check("alice", "s3cret")).toBe("ok");
    expect(await c.check("bob", "s3cret")).toBe("ok");
    expect(
      c.withUsers(
        new Map([
          ["bob", hash],
          ["alice", hash],
        ]),
      ),
    ).toBe(c);
    const next = c.withUsers(
      new Map([
        ["alice", hash],
        ["bob", bcrypt.hashSync("new", 4)],
      ]),
    );
    expect(next.verifier).toBe(c.verifier);
    const verify = vi.spyOn(c.verifier, "verify");
    expect(await next.check("alice", "s3cret")).toBe("ok");
    expect(verify).not.toHaveBeenCalled();
    expect(await next.check("bob", "s3cret")).toBe("denied");
    expect(await next.check("bob", "new")).toBe("ok");
    expect(c.withUsers(new Map([["alice", hash]]))).not.toBe(c);
  });
});

describe("sourceKey: the place a verification's turn is counted for", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::ffff:10.1.2.3", "10.1.2.3"],
    ["2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002::1", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    [undefined, ""],
  ])("%s -> %s", (address, key) => {
    expect(sourceKey(address)).toBe(key);
  });
});

describe("bcrypt hashes", () => {
  it("BCRYPT_HASH accepts the $2a$, $2b$ and $2y$ forms htpasswd and bcrypt libraries write, nothing else", () => {
    const h = bcrypt.hashSync("x", 4);
    for (const prefix of ["$2a$", "$2b$", "$2y$"]) expect(BCRYPT_HASH.test(h.replace(/^\$2[aby]\$/, prefix))).toBe(true);
    for (const bad of ["plaintext", h.slice(0, -1), `${h}x`, h.replace(/^\$2b\$/, "$1$")]) expect(BCRYPT_HASH.test(bad)).toBe(false);
  });

  it("bcryptCost reads the cost field", () => {
    expect(bcryptCost(bcrypt.hashSync("x", 5))).toBe(5);
  });
});
