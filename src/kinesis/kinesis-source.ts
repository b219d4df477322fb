import { ListShardsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { LoggerLike } from "../collector/logger.js";
import { parseFleetPayload, type FleetSink, type FleetSource } from "../fleet/records.js";
import { planLeases, type ShardInfo } from "./lease-plan.js";
import { isFree, newLease, SHARD_END, type Lease, type LeaseStore } from "./lease-store.js";
import { ShardReader } from "./shard-reader.js";

/** The fleet state as a Kinesis source needs it: records in, and per-device checkpoints. */
export interface CheckpointedFleetState extends FleetSink {
  snapshot(clientIds?: Iterable<string>): unknown;
  restore(snapshot: unknown): void;
  remove(clientId: string): void;
}

export interface KinesisSourceOptions {
  client: KinesisClient;
  stream: string;
  leases: LeaseStore;
  /** This replica's name in the leases (unique per replica). */
  owner: string;
  /** A lease not renewed within this lapses and another replica takes the shard (default 10 s). */
  leaseMs?: number;
  /** Wait after an empty GetRecords (default 1 s; AWS allows 5 GetRecords/s per shard). */
  idleMs?: number;
  logger?: LoggerLike;
}

export interface KinesisSourceStats {
  shards: string[];
  records_applied: number;
  records_invalid: number;
  checkpoints: number;
}

interface Consumer {
  shardId: string;
  reader: ShardReader;
  clientIds: Set<string>;
  running: boolean;
  done: Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads every shard of a stream an IoT rule writes lifecycle events and evidence to (partition key:
 * the client ID, so a device's records stay in order on one shard), shared among replicas by
 * leases. After each batch is applied, the shard's checkpoint (its sequence number and its
 * devices' state) is written with the lease: a replica that takes a shard over restores that
 * state and reads on from there, so nothing is lost and nothing counted twice.
 */
export class KinesisFleetSource implements FleetSource {
  private readonly consumers = new Map<string, Consumer>();
  private readonly leaseMs: number;
  private readonly idleMs: number;
  private readonly logger: LoggerLike;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  /** Ends the wait between lease rounds (on stop: the leases are released at once, not a round later). */
  private wake: () => void = () => undefined;
  private applied = 0;
  private invalid = 0;
  private checkpoints = 0;

  constructor(private readonly options: KinesisSourceOptions) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.idleMs = options.idleMs ?? 1000;
    this.logger = options.logger ?? console;
  }

  get stats(): KinesisSourceStats {
    return { shards: [...this.consumers.keys()].sort(), records_applied: this.applied, records_invalid: this.invalid, checkpoints: this.checkpoints };
  }

  async start(sink: CheckpointedFleetState): Promise<void> {
    this.running = true;
    await this.balance(sink);
    this.loop = (async () => {
      while (this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.leaseMs / 4);
          this.wake = () => (clearTimeout(timer), resolve());
        });
        if (!this.running) break;
        await this.balance(sink).catch((err: unknown) => this.logger.warn({ err, stream: this.options.stream }, "kinesis: lease round failed"));
      }
    })();
  }

  /** Stops reading and releases this replica's leases, so the others take the shards at once. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    for (const c of [...this.consumers.values()]) {
      await this.halt(c);
      await this.release(c.shardId);
    }
  }

  private async listShards(): Promise<ShardInfo[]> {
    const shards: ShardInfo[] = [];
    let token: string | undefined;
    do {
      const out = await this.options.client.send(new ListShardsCommand(token === undefined ? { StreamName: this.options.stream } : { NextToken: token }));
      for (const s of out.Shards ?? []) if (s.ShardId !== undefined) shards.push({ shardId: s.ShardId, parentShardId: s.ParentShardId, adjacentParentShardId: s.AdjacentParentShardId });
      token = out.NextToken;
    } while (token !== undefined);
    return shards;
  }

  /** One lease round: renew or hand over what is held, take the fair share, ask for the rest. */
  private async balance(sink: CheckpointedFleetState): Promise<void> {
    const { leases: store, owner } = this.options;
    const shards = await this.listShards();
    const leases = new Map((await store.all()).map((l) => [l.shard_id, l]));
    for (const c of [...this.consumers.values()]) {
      if (leases.get(c.shardId)?.wanted_by !== undefined) {
        await this.halt(c);
        await this.release(c.shardId);
        this.forget(c, sink);
        continue;
      }
      const renewed = await store.update(c.shardId, (cur) => (cur?.owner === owner ? { ...cur, expires_at: Date.now() + this.leaseMs, version: cur.version + 1 } : undefined));
      if (renewed === undefined) {
        await this.halt(c);
        this.forget(c, sink);
      } else leases.set(c.shardId, renewed);
    }
    const plan = planLeases(shards, leases, owner, Date.now());
    for (const id of plan.take) {
      const taken = await store.update(id, (cur) => {
        if (!isFree(cur, Date.now())) return undefined;
        const { wanted_by: _wanted, ...base } = cur ?? newLease(id);
        return { ...base, owner, expires_at: Date.now() + this.leaseMs, version: base.version + 1 };
      });
      if (taken !== undefined) this.begin(taken, sink);
    }
    const ask = plan.ask;
    if (ask !== undefined) await store.update(ask.shardId, (cur) => (cur?.owner === ask.owner && cur.wanted_by === undefined && !isFree(cur, Date.now()) ? { ...cur, wanted_by: owner, version: cur.version + 1 } : undefined));
  }

  private begin(lease: Lease, sink: CheckpointedFleetState): void {
    if (lease.snapshot !== null) sink.restore(lease.snapshot);
    const c: Consumer = {
      shardId: lease.shard_id,
      reader: new ShardReader(this.options.client, this.options.stream, lease.shard_id, lease.checkpoint),
      clientIds: new Set(lease.client_ids),
      running: true,
      done: Promise.resolve(),
    };
    this.consumers.set(c.shardId, c);
    c.done = this.consume(c, sink);
  }

  private async consume(c: Consumer, sink: CheckpointedFleetState): Promise<void> {
    let backoff = 0;
    while (c.running) {
      let batch;
      try {
        batch = await c.reader.next();
        backoff = 0;
      } catch (err) {
        backoff = Math.min(5000, Math.max(100, backoff * 2));
        if (backoff === 100) this.logger.warn({ err, shard: c.shardId }, "kinesis: GetRecords failed, backing off");
        await sleep(backoff);
        continue;
      }
      // Halted meanwhile (lease lost or handed over): whoever reads the shard next applies these.
      if (!c.running) break;
      for (const r of batch.records) {
        const record = parseFleetPayload(Buffer.from(r.Data ?? new Uint8Array()), r.ApproximateArrivalTimestamp?.getTime() ?? Date.now());
        if ("error" in record) {
          if (record.ignore !== true) this.invalid++;
          continue;
        }
        sink.apply(record);
        c.clientIds.add(record.clientId);
        this.applied++;
      }
      const last = batch.records[batch.records.length - 1]?.SequenceNumber;
      if (last !== undefined || batch.ended) {
        const position = batch.ended ? SHARD_END : (last as string);
        const owner = this.options.owner;
        const written = await this.options.leases.update(c.shardId, (cur) =>
          cur?.owner === owner ? { ...cur, version: cur.version + 1, checkpoint: position, snapshot: sink.snapshot(c.clientIds), client_ids: [...c.clientIds] } : undefined,
        );
        if (written === undefined) {
          // Another replica holds the shard now and reads on from the last checkpoint.
          c.running = false;
          this.consumers.delete(c.shardId);
          this.forget(c, sink);
          break;
        }
        this.checkpoints++;
      }
      if (batch.ended) {
        c.running = false;
        this.consumers.delete(c.shardId);
        await this.release(c.shardId);
        break;
      }
      if (batch.records.length === 0) await sleep(this.idleMs);
    }
  }

  private async halt(c: Consumer): Promise<void> {
    c.running = false;
    this.consumers.delete(c.shardId);
    await c.done;
  }

  private async release(shardId: string): Promise<void> {
    const owner = this.options.owner;
    await this.options.leases.update(shardId, (cur) => {
      if (cur?.owner !== owner) return undefined;
      const { wanted_by: _wanted, ...base } = cur;
      return { ...base, owner: null, expires_at: 0, version: cur.version + 1 };
    });
  }

  /** The shard's devices leave this replica's state: another one restores them from the checkpoint. */
  private forget(c: Consumer, sink: CheckpointedFleetState): void {
    for (const id of c.clientIds) sink.remove(id);
  }
}
