import { describe, expect, it } from "vitest";
import { planLeases, readable } from "../../../src/kinesis/lease-plan.js";
import { newLease, SHARD_END, type Lease } from "../../../src/kinesis/lease-store.js";

const NOW = 1_000_000;
const shards = (n: number) => Array.from({ length: n }, (_, i) => ({ shardId: `s${i}` }));
const held = (id: string, owner: string, extra: Partial<Lease> = {}): [string, Lease] => [id, { ...newLease(id), owner, expires_at: NOW + 5000, ...extra }];

describe("planLeases", () => {
  it("alone, a replica takes every shard", () => {
    expect(planLeases(shards(4), new Map(), "a", NOW)).toEqual({ take: ["s0", "s1", "s2", "s3"] });
  });

  it("takes free shards up to its fair share only", () => {
    const leases = new Map([held("s0", "b"), held("s1", "b")]);
    expect(planLeases(shards(4), leases, "a", NOW)).toEqual({ take: ["s2", "s3"] });
  });

  it("a lapsed lease is free (its replica died)", () => {
    const leases = new Map([held("s0", "b", { expires_at: NOW - 1 }), held("s1", "b")]);
    expect(planLeases(shards(2), leases, "a", NOW).take).toEqual(["s0"]);
  });

  it("with nothing free, asks the most loaded replica for one shard", () => {
    const leases = new Map(["s0", "s1", "s2", "s3"].map((id) => held(id, "b")));
    expect(planLeases(shards(4), leases, "a", NOW)).toEqual({ take: [], ask: { shardId: "s0", owner: "b" } });
  });

  it("asks for no second shard while the one it asked for is still coming (a slow handover would else give it more than its share)", () => {
    // One coming of a share of two: one more is asked for.
    const leases = new Map([held("s0", "b", { wanted_by: "a" }), held("s1", "b"), held("s2", "b"), held("s3", "b")]);
    expect(planLeases(shards(4), leases, "a", NOW)).toEqual({ take: [], ask: { shardId: "s1", owner: "b" } });
    const one = new Map([held("s0", "a"), held("s1", "b", { wanted_by: "a" }), held("s2", "b"), held("s3", "b")]);
    expect(planLeases(shards(4), one, "a", NOW)).toEqual({ take: [] });
  });

  it("does not ask for a shard already asked for", () => {
    const leases = new Map([held("s0", "b", { wanted_by: "c" }), held("s1", "b"), held("s2", "b")]);
    expect(planLeases(shards(3), leases, "a", NOW).ask).toEqual({ shardId: "s1", owner: "b" });
  });
});

describe("readable: parents before children", () => {
  const child = { shardId: "c", parentShardId: "p" };
  it("a child waits until its parent is read to its end", () => {
    expect(readable(child, new Set(["p", "c"]), new Map([held("p", "a")]))).toBe(false);
    expect(readable(child, new Set(["p", "c"]), new Map([held("p", "a", { checkpoint: SHARD_END })]))).toBe(true);
  });
  it("a parent trimmed away does not hold its child back; a finished shard is not read again", () => {
    expect(readable(child, new Set(["c"]), new Map())).toBe(true);
    expect(readable({ shardId: "p" }, new Set(["p"]), new Map([held("p", "a", { checkpoint: SHARD_END })]))).toBe(false);
  });
});
