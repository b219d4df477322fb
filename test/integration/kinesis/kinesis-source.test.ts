import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { FleetState } from "../../../src/fleet/fleet-state.js";
import { parseFleetPayload } from "../../../src/fleet/records.js";
import { fleetSummary } from "../../../src/fleet/summary.js";
import { DirectoryLeaseStore } from "../../../src/kinesis/directory-lease-store.js";
import { KinesisFleetSource } from "../../../src/kinesis/kinesis-source.js";
import { fleetPlay } from "../../helpers/fleet-generator.js";
import { Kinesalite, putRecords } from "../../helpers/kinesalite.js";
import { pollUntil } from "../../helpers/poll.js";

const REPLICA = fileURLToPath(new URL("../../../dist/bench/kinesis-replica.js", import.meta.url));
const quiet = { warn: () => undefined, error: () => undefined };
let kinesis: Kinesalite;
let client: KinesisClient;
let dir: string;
const stops: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  kinesis = await Kinesalite.start();
  client = kinesis.client();
  dir = mkdtempSync(join(tmpdir(), "mde-kinesis-"));
}, 30_000);
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await Promise.resolve(s()).catch(() => undefined);
});
afterAll(() => {
  client.destroy();
  kinesis.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The fleet's records as an IoT rule writes them to the stream: AWS's events, then the evidence. */
function fleetRecords(perScenario: number, seed: number): { clientId: string; payload: string }[] {
  const play = fleetPlay({ perScenario, seed, evidence: true });
  return [
    ...play.events.map((e) => ({ clientId: e.clientId, payload: JSON.stringify(e) })),
    ...play.evidence.map((m) => ({ clientId: m.client_id, payload: JSON.stringify(m) })),
  ];
}

/** What the stream holds, applied in each shard's order to a fresh state: the truth to compare with. */
async function reference(stream: string): Promise<FleetState> {
  const state = new FleetState(new ManualClock(0));
  for (const shard of (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? []) {
    let it = (await client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }))).ShardIterator;
    for (;;) {
      const out = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }));
      for (const r of out.Records ?? []) {
        const rec = parseFleetPayload(Buffer.from(r.Data ?? new Uint8Array()), r.ApproximateArrivalTimestamp?.getTime() ?? 0);
        if (!("error" in rec)) state.apply(rec);
      }
      if ((out.Records ?? []).length === 0) break;
      it = out.NextShardIterator;
    }
  }
  return state;
}

const devicesOf = (state: FleetState) =>
  JSON.stringify((state.snapshot() as { devices: { client_id: string }[] }).devices.sort((a, b) => (a.client_id < b.client_id ? -1 : 1)));

function replica(stream: string, leases: string, owner: string): KinesisFleetSource {
  const source = new KinesisFleetSource({ client, stream, leases: new DirectoryLeaseStore(leases), owner, leaseMs: 1500, idleMs: 50, logger: quiet });
  stops.push(() => source.stop());
  return source;
}

describe("the Kinesis fleet source against kinesalite", () => {
  it("one replica: 500+ records round trip, every device's state as the stream's records make it", async () => {
    await kinesis.createStream("one", 2);
    const records = fleetRecords(20, 1);
    expect(records.length).toBeGreaterThanOrEqual(500);
    await putRecords(client, "one", records);
    const state = new FleetState(new ManualClock(0));
    const source = replica("one", join(dir, "one"), "r1");
    await source.start(state);
    await pollUntil(() => (source.stats.records_applied === records.length ? true : undefined), "every record applied");
    expect(source.stats).toMatchObject({ shards: expect.any(Array) as unknown, records_invalid: 0 });
    expect(source.stats.shards).toHaveLength(2);
    const ref = await reference("one");
    expect(devicesOf(state)).toBe(devicesOf(ref));
    expect(fleetSummary(state)).toEqual(fleetSummary(ref));
  });

  it("checkpoints keep the device state beside the leases, each holding only the devices changed since the one before", async () => {
    await kinesis.createStream("files", 1);
    const records = fleetRecords(5, 9);
    await putRecords(client, "files", records);
    const leases = join(dir, "files");
    const store = new DirectoryLeaseStore(leases);
    const state = new FleetState(new ManualClock(0));
    const source = replica("files", leases, "r1");
    await source.start(state);
    await pollUntil(() => (source.stats.records_applied === records.length && source.stats.caught_up.length === 1 ? true : undefined), "every record applied");
    const lease = (await store.all())[0];
    // The lease is small: no device state in it (every lease is read at every lease round).
    expect([lease?.snapshot, lease?.client_ids]).toEqual([null, []]);
    const before = lease?.state_files ?? [];
    expect(before.length).toBeGreaterThanOrEqual(1);
    const one = records
      .filter((r) => r.clientId === "throttling-1")
      .map((r) => ({ ...r, payload: r.payload.replace(/"versionNumber":(\d+)/, (_m, v: string) => `"versionNumber":${Number(v) + 10}`) }));
    await putRecords(client, "files", one);
    await pollUntil(async () => (((await store.all())[0]?.state_files?.length ?? 0) > before.length ? true : undefined), "a checkpoint after the new records");
    const files = (await store.all())[0]?.state_files ?? [];
    const newest = (await store.readState(lease?.shard_id ?? "", files[files.length - 1] ?? "")) as { devices: { client_id: string }[] };
    expect(newest.devices.map((d) => d.client_id)).toEqual(["throttling-1"]);
  });

  it("stop releases the leases at once, not after the wait between lease rounds", async () => {
    await kinesis.createStream("stop", 2);
    await putRecords(client, "stop", fleetRecords(2, 5));
    const leases = join(dir, "stop");
    // A lease of 10 minutes: the wait between rounds (a quarter of it) is longer than the test's timeout.
    const source = new KinesisFleetSource({
      client,
      stream: "stop",
      leases: new DirectoryLeaseStore(leases),
      owner: "r",
      leaseMs: 600_000,
      idleMs: 50,
      logger: quiet,
    });
    await source.start(new FleetState(new ManualClock(0)));
    expect(source.stats.shards).toHaveLength(2);
    await source.stop();
    expect((await new DirectoryLeaseStore(leases).all()).map((l) => l.owner)).toEqual([null, null]);
  });

  it("two replicas share the shards; each device is on one of them; together they hold the whole fleet", async () => {
    await kinesis.createStream("two", 4);
    const records = fleetRecords(10, 2);
    await putRecords(client, "two", records);
    const [a, b] = [new FleetState(new ManualClock(0)), new FleetState(new ManualClock(0))];
    const ra = replica("two", join(dir, "two"), "a");
    const rb = replica("two", join(dir, "two"), "b");
    await ra.start(a);
    await rb.start(b);
    await pollUntil(
      () =>
        ra.stats.shards.length === 2 && rb.stats.shards.length === 2 && a.size + b.size === new Set(records.map((r) => r.clientId)).size ? true : undefined,
      "two shards each, every device applied",
    );
    await pollUntil(() => (ra.stats.records_applied + rb.stats.records_applied >= records.length ? true : undefined), "every record applied");
    const ids = (s: FleetState) => new Set([...s.devices()].map((d) => d.device.clientId));
    const [ia, ib] = [ids(a), ids(b)];
    expect([...ia].filter((id) => ib.has(id))).toEqual([]);
    const ref = await reference("two");
    const merged = new FleetState(new ManualClock(0));
    merged.restore(a.snapshot());
    merged.restore(b.snapshot());
    expect(devicesOf(merged)).toBe(devicesOf(ref));
  });

  it("kill -9 of a replica (a real process): the other takes its shards, resumes from the checkpoint, exact counts", async () => {
    await kinesis.createStream("kill", 4);
    const first = fleetRecords(10, 3);
    await putRecords(client, "kill", first);
    const leases = join(dir, "kill");
    const child = spawn(process.execPath, [REPLICA, kinesis.endpoint, "kill", leases, "victim", "1500"], { stdio: ["ignore", "pipe", "inherit"] });
    stops.push(() => void child.kill("SIGKILL"));
    let last: { shards: string[]; records_applied: number; checkpoints: number } = { shards: [], records_applied: 0, checkpoints: 0 };
    child.stdout.on("data", (d: Buffer) => {
      const line = d.toString().trim().split("\n").pop();
      if (line !== undefined && line !== "") last = JSON.parse(line) as typeof last;
    });
    const state = new FleetState(new ManualClock(0));
    const survivor = replica("kill", leases, "survivor");
    await pollUntil(() => (last.shards.length === 4 && last.checkpoints > 0 ? true : undefined), "the child replica reads every shard", 60_000);
    await survivor.start(state);
    await pollUntil(
      () => (survivor.stats.shards.length === 2 && last.shards.length === 2 ? true : undefined),
      "the shards shared (handed over on request)",
      60_000,
    );
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    const second = fleetRecords(10, 4).map((r) => ({ ...r, payload: r.payload }));
    await putRecords(client, "kill", second);
    await pollUntil(() => (survivor.stats.shards.length === 4 ? true : undefined), "the survivor takes the dead replica's shards", 60_000);
    const ref = await reference("kill");
    await pollUntil(
      () => (devicesOf(state) === devicesOf(ref) ? true : undefined),
      "the survivor's state is the stream's, nothing lost or counted twice",
      60_000,
    );
    expect(fleetSummary(state)).toEqual(fleetSummary(ref));
  });
});
