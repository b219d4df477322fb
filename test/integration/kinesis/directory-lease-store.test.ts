import { mkdirSync, mkdtempSync, readdirSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DirectoryLeaseStore } from "../../../src/kinesis/directory-lease-store.js";
import { isFree, newLease } from "../../../src/kinesis/lease-store.js";

const dir = () => mkdtempSync(join(tmpdir(), "mde-leases-"));

describe("DirectoryLeaseStore", () => {
  it("changes a lease atomically: of many concurrent takers, one wins", async () => {
    const d = dir();
    const stores = Array.from({ length: 8 }, () => new DirectoryLeaseStore(d));
    const results = await Promise.all(
      stores.map((s, i) =>
        s.update("shardId-000000000000", (cur) =>
          isFree(cur, Date.now()) ? { ...(cur ?? newLease("shardId-000000000000")), owner: `r${i}`, expires_at: Date.now() + 60_000 } : undefined,
        ),
      ),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    const [lease] = await stores[0]!.all();
    expect(lease?.owner).toBe(results.find((r) => r !== undefined)?.owner);
    expect(readdirSync(d)).toEqual(["shardId-000000000000.lease.json"]);
  });

  it("undefined from the change leaves the lease as it was", async () => {
    const s = new DirectoryLeaseStore(dir());
    await s.update("s", () => ({ ...newLease("s"), owner: "a" }));
    expect(await s.update("s", () => undefined)).toBeUndefined();
    expect((await s.all())[0]?.owner).toBe("a");
  });

  it("breaks a lock a killed replica left behind", async () => {
    const d = dir();
    const lock = join(d, "s.lease.json.lock");
    mkdirSync(lock);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const s = new DirectoryLeaseStore(d);
    expect((await s.update("s", () => newLease("s")))?.shard_id).toBe("s");
  });
});
