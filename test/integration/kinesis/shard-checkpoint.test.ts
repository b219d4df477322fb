import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { FleetState } from "../../../src/fleet/fleet-state.js";
import { DirectoryLeaseStore } from "../../../src/kinesis/directory-lease-store.js";
import { newLease, type Lease } from "../../../src/kinesis/lease-store.js";
import { ShardCheckpoint } from "../../../src/kinesis/shard-checkpoint.js";

const T = 1_780_000_000_000;
const dir = mkdtempSync(join(tmpdir(), "mde-checkpoint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const facts = (id: string, n: number) => ({
  clientId: id,
  sessionIdentifier: `${id}-${n}`,
  principalIdentifier: "p",
  ipAddress: "198.51.100.1",
  versionNumber: n,
});
const session = (state: FleetState, cp: ShardCheckpoint, id: string, n: number) => {
  state.apply({ kind: "lifecycle", clientId: id, event: connectedEvent(facts(id, n), T + n * 1000), receivedAt: T });
  state.apply({ kind: "lifecycle", clientId: id, event: disconnectedEvent(facts(id, n), T + n * 1000 + 500, "THROTTLED"), receivedAt: T });
  cp.applied(id);
};
const devicesOf = (state: FleetState) => JSON.stringify(state.snapshot().devices.sort((a, b) => (a.client_id < b.client_id ? -1 : 1)));
const filesOf = (shard: string) => readdirSync(join(dir, `${shard}.state`)).sort();

/** Checkpoints as the source does: the file first, then the lease, then `done`. */
async function checkpoint(cp: ShardCheckpoint, state: FleetState, lease: Lease): Promise<Lease> {
  const prepared = await cp.prepare(state);
  await prepared.done();
  return { ...lease, ...prepared.fields };
}

/** A fresh shard's checkpoint in the directory, and the state it tracks. */
async function begin(shard: string) {
  const store = new DirectoryLeaseStore(dir);
  const state = new FleetState(new ManualClock(T));
  const lease = newLease(shard);
  return { store, state, lease, cp: await ShardCheckpoint.restore(lease, "r1", store, state) };
}

describe("ShardCheckpoint with a directory", () => {
  it("a checkpoint writes only the devices changed since the previous one; the lease holds none; restoring the files gives the same state", async () => {
    const { store, state, cp, lease: fresh } = await begin("s");
    let lease = fresh;
    for (let k = 0; k < 100; k++) session(state, cp, `d${k}`, 1);
    lease = await checkpoint(cp, state, lease);
    session(state, cp, "d7", 2);
    session(state, cp, "d8", 2);
    lease = await checkpoint(cp, state, lease);
    expect([lease.snapshot, lease.client_ids]).toEqual([null, []]);
    expect(lease.state_files).toHaveLength(2);
    const [whole, delta] = await Promise.all((lease.state_files ?? []).map((f) => store.readState("s", f) as Promise<{ devices: { client_id: string }[] }>));
    expect(whole?.devices).toHaveLength(100);
    expect(delta?.devices.map((d) => d.client_id).sort()).toEqual(["d7", "d8"]);
    // Nothing changed: no file.
    lease = await checkpoint(cp, state, lease);
    expect(lease.state_files).toHaveLength(2);

    const restored = new FleetState(new ManualClock(T));
    const again = await ShardCheckpoint.restore(lease, "r2", store, restored);
    expect(devicesOf(restored)).toBe(devicesOf(state));
    expect(again.clientIds.size).toBe(100);
    expect(restored.awsReasons.get("THROTTLED")).toBe(102);
  });

  it("writes the shard whole again once the files hold twice its devices, and removes the files it replaced", async () => {
    const { store, state, cp, lease: fresh } = await begin("c");
    let lease = fresh;
    for (let k = 0; k < 10; k++) session(state, cp, `d${k}`, 1);
    lease = await checkpoint(cp, state, lease);
    for (let n = 2; n <= 3; n++) {
      for (let k = 0; k < 6; k++) session(state, cp, `d${k}`, n);
      lease = await checkpoint(cp, state, lease);
    }
    // 10 + 6 entries, then 6 more would pass 2 x 10: the third checkpoint is whole.
    expect(lease.state_files).toHaveLength(1);
    expect(filesOf("c")).toEqual([`${encodeURIComponent(lease.state_files?.[0] ?? "")}.json`]);
    const restored = new FleetState(new ManualClock(T));
    await ShardCheckpoint.restore(lease, "r2", store, restored);
    expect(devicesOf(restored)).toBe(devicesOf(state));
  });

  it("restores a lease written before the state files (its snapshot inside), then writes files", async () => {
    const store = new DirectoryLeaseStore(dir);
    const old = new FleetState(new ManualClock(T));
    const oldCp = await ShardCheckpoint.restore(newLease("o"), "r0", undefined, old);
    session(old, oldCp, "x", 1);
    const prepared = await oldCp.prepare(old);
    const lease: Lease = { ...newLease("o"), ...prepared.fields };
    expect(lease.client_ids).toEqual(["x"]);
    const state = new FleetState(new ManualClock(T));
    const cp = await ShardCheckpoint.restore(lease, "r1", store, state);
    expect(devicesOf(state)).toBe(devicesOf(old));
    const next = await checkpoint(cp, state, lease);
    expect([next.snapshot, next.state_files?.length]).toEqual([null, 1]);
  });
});
