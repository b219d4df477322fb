import type { LoggerLike } from "../collector/logger.js";
import { parseFleetPayload, type FleetSource } from "../fleet/records.js";
import { planLeases } from "./lease-plan.js";
import { isFree, isShardStateStore, newLease, SHARD_END, type Lease, type ShardStateStore } from "./lease-store.js";
import { ShardCheckpoint, type CheckpointedFleetState } from "./shard-checkpoint.js";
import { listShards, ShardReader } from "./shard-reader.js";
import type { KinesisSourceOptions, KinesisSourceStats } from "./source-options.js";

export type { CheckpointedFleetState, KinesisSourceOptions, KinesisSourceStats };

interface Consumer {
  shardId: string;
  reader: ShardReader;
  checkpoint: ShardCheckpoint;
  /** The last sequence number applied, whether the lease has it yet, and when it was last written. */
  position: string | null;
  moved: boolean;
  checkpointedAt: number;
  caughtUp: boolean;
  running: boolean;
  done: Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads every shard of a stream an IoT rule writes lifecycle events and evidence to (partition key:
 * the client ID, so a device's records stay in order on one shard), shared among replicas by
 * leases. Every checkpointMs, the shard's checkpoint (its sequence number, and its devices' state
 * as of it: see ShardCheckpoint) is written with the lease: a replica that takes a shard over
 * restores that state and reads on from there, so nothing is lost and nothing counted twice.
 */
export class KinesisFleetSource implements FleetSource {
  private readonly consumers = new Map<string, Consumer>();
  private readonly leaseMs: number;
  private readonly idleMs: number;
  private readonly checkpointMs: number;
  private readonly states: ShardStateStore | undefined;
  private readonly logger: LoggerLike;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  /** Ends the wait between lease rounds (on stop: the leases are released at once, not a round later). */
  private wake: () => void = () => undefined;
  private applied = 0;
  private invalid = 0;
  private checkpoints = 0;
  private sink: CheckpointedFleetState | undefined;

  constructor(private readonly options: KinesisSourceOptions) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.idleMs = options.idleMs ?? 1000;
    this.checkpointMs = options.checkpointMs ?? 1000;
    this.states = options.states ?? (isShardStateStore(options.leases) ? options.leases : undefined);
    this.logger = options.logger ?? console;
  }

  get stats(): KinesisSourceStats {
    const caught = [...this.consumers.values()].filter((c) => c.caughtUp).map((c) => c.shardId);
    return {
      shards: [...this.consumers.keys()].sort(),
      records_applied: this.applied,
      records_invalid: this.invalid,
      checkpoints: this.checkpoints,
      caught_up: caught.sort(),
    };
  }

  async start(sink: CheckpointedFleetState): Promise<void> {
    [this.running, this.sink] = [true, sink];
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
      if (this.sink !== undefined) await this.halt(c, this.sink);
      await this.release(c.shardId);
    }
  }

  /** One lease round: renew or hand over what is held, take the fair share, ask for the rest. */
  private async balance(sink: CheckpointedFleetState): Promise<void> {
    const { leases: store, owner } = this.options;
    const shards = await listShards(this.options.client, this.options.stream);
    const leases = new Map((await store.all()).map((l) => [l.shard_id, l]));
    for (const c of [...this.consumers.values()]) {
      if (leases.get(c.shardId)?.wanted_by !== undefined) {
        await this.halt(c, sink);
        await this.release(c.shardId);
        this.forget(c, sink);
        continue;
      }
      const renewed = await store.update(c.shardId, (cur) =>
        cur?.owner === owner ? { ...cur, expires_at: Date.now() + this.leaseMs, version: cur.version + 1 } : undefined,
      );
      if (renewed === undefined) {
        await this.halt(c, sink);
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
      if (taken !== undefined) await this.begin(taken, sink);
    }
    const ask = plan.ask;
    if (ask !== undefined)
      await store.update(ask.shardId, (cur) =>
        cur?.owner === ask.owner && cur.wanted_by === undefined && !isFree(cur, Date.now())
          ? { ...cur, wanted_by: owner, version: cur.version + 1 }
          : undefined,
      );
  }

  private async begin(lease: Lease, sink: CheckpointedFleetState): Promise<void> {
    let checkpoint: ShardCheckpoint;
    try {
      checkpoint = await ShardCheckpoint.restore(lease, this.options.owner, this.states, sink);
    } catch (err) {
      // Its checkpoint cannot be read now: left for a later round (or another replica), not read from scratch.
      this.logger.error({ err, shard: lease.shard_id }, "kinesis: cannot restore the shard's checkpoint");
      await this.release(lease.shard_id);
      return;
    }
    const c: Consumer = {
      shardId: lease.shard_id,
      reader: new ShardReader(this.options.client, this.options.stream, lease.shard_id, lease.checkpoint),
      checkpoint,
      position: lease.checkpoint,
      moved: false,
      ...{ checkpointedAt: -Infinity, caughtUp: false, running: true, done: Promise.resolve() },
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
        const data = r.Data ?? new Uint8Array(); // read in place, not copied
        const record = parseFleetPayload(Buffer.from(data.buffer, data.byteOffset, data.byteLength), r.ApproximateArrivalTimestamp?.getTime() ?? Date.now());
        if ("error" in record) {
          if (record.ignore !== true) this.invalid++;
          continue;
        }
        sink.apply(record);
        c.checkpoint.applied(record.clientId);
        this.applied++;
      }
      const last = batch.records[batch.records.length - 1]?.SequenceNumber;
      if (last !== undefined) [c.position, c.moved] = [last, true];
      // The first batch, then at most every checkpointMs while records come; at once when the shard is read up to now or to its end.
      const due = batch.ended || ((c.moved || c.checkpoint.pending) && (batch.records.length === 0 || Date.now() - c.checkpointedAt >= this.checkpointMs));
      if (due && !(await this.checkpoint(c, sink, batch.ended))) break;
      if (batch.ended) {
        c.running = false;
        this.consumers.delete(c.shardId);
        await this.release(c.shardId);
        break;
      }
      c.caughtUp = batch.records.length === 0;
      if (c.caughtUp) await sleep(this.idleMs);
    }
  }

  /** Writes the shard's checkpoint; false when the lease is no longer this replica's (the consumer is dropped). */
  private async checkpoint(c: Consumer, sink: CheckpointedFleetState, ended: boolean): Promise<boolean> {
    const [position, owner] = [ended ? SHARD_END : c.position, this.options.owner];
    const prepared = await c.checkpoint.prepare(sink);
    const written = await this.options.leases.update(c.shardId, (cur) =>
      cur?.owner === owner ? { ...cur, version: cur.version + 1, checkpoint: position, ...prepared.fields } : undefined,
    );
    if (written === undefined) {
      // Another replica holds the shard now and reads on from the last checkpoint.
      c.running = false;
      this.consumers.delete(c.shardId);
      this.forget(c, sink);
      return false;
    }
    await prepared.done();
    [c.moved, c.checkpointedAt] = [false, Date.now()];
    this.checkpoints++;
    return true;
  }

  /** Stops reading the shard; what was applied since its checkpoint is checkpointed (when the lease is still ours), so the next owner need not read it again. */
  private async halt(c: Consumer, sink: CheckpointedFleetState): Promise<void> {
    c.running = false;
    await c.done;
    if (this.consumers.delete(c.shardId) && (c.moved || c.checkpoint.pending)) await this.checkpoint(c, sink, false);
  }

  private async release(shardId: string): Promise<void> {
    await this.options.leases.update(shardId, (cur) => {
      if (cur?.owner !== this.options.owner) return undefined;
      const { wanted_by: _wanted, ...base } = cur;
      return { ...base, owner: null, expires_at: 0, version: cur.version + 1 };
    });
  }

  /** The shard's devices leave this replica's state: another one restores them from the checkpoint. */
  private forget(c: Consumer, sink: CheckpointedFleetState): void {
    for (const id of c.checkpoint.clientIds) sink.remove(id);
  }
}
