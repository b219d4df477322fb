import { describe, expect, it } from "vitest";
import { isFree, newLease } from "../../../src/kinesis/lease-store.js";

describe("leases", () => {
  it("a new lease is free, unowned, with no checkpoint", () => {
    expect(newLease("s0")).toEqual({ shard_id: "s0", owner: null, expires_at: 0, version: 0, checkpoint: null, snapshot: null, client_ids: [] });
    expect(isFree(undefined, 5)).toBe(true);
  });
  it("an owned lease is free once it lapses", () => {
    const lease = { ...newLease("s0"), owner: "a", expires_at: 10 };
    expect([isFree(lease, 9), isFree(lease, 10)]).toEqual([false, true]);
    expect(isFree({ ...lease, owner: null }, 0)).toBe(true);
  });
});
