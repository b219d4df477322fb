import type { FleetSink } from "../fleet/records.js";
import type { Lease, ShardStateStore } from "./lease-store.js";

/** The fleet state as a shard's checkpoint needs it. */
export interface CheckpointSink {
  snapshot(clientIds?: Iterable<string>): unknown;
  restore(snapshot: unknown): void;
}

/** The fleet state as a Kinesis source needs it: records in, per-device checkpoints, devices leaving. */
export interface CheckpointedFleetState extends FleetSink, CheckpointSink {
  remove(clientId: string): void;
}

/** What a checkpoint writes into the lease, besides the position; `done` once the lease holds it. */
export interface PreparedCheckpoint {
  fields: Pick<Lease, "snapshot" | "client_ids"> & { state_files?: string[] };
  done(): Promise<void>;
}

/** Files a shard's state may span before it is written whole again (and the older files removed). */
const MAX_FILES = 64;

/**
 * One shard's checkpointed device state. With a ShardStateStore, each checkpoint writes only the
 * devices changed since the previous one (a file named in the lease); when the files hold twice
 * the shard's devices, or too many files, the next one is whole and the older files go. Without
 * one, the shard's whole state goes into the lease at each checkpoint.
 */
export class ShardCheckpoint {
  /** Every device the shard carried up to now. */
  readonly clientIds = new Set<string>();
  private changed = new Set<string>();
  private files: string[] = [];
  /** Device entries across the files (a device changed at every checkpoint counts at each). */
  private entries = 0;
  private written = 0;

  private constructor(
    private readonly shardId: string,
    private readonly owner: string,
    private readonly store: ShardStateStore | undefined,
  ) {}

  /** The shard's state as its lease's checkpoint left it, restored into `sink`. Throws when a state file cannot be read. */
  static async restore(lease: Lease, owner: string, store: ShardStateStore | undefined, sink: CheckpointSink): Promise<ShardCheckpoint> {
    const c = new ShardCheckpoint(lease.shard_id, owner, store);
    const files = lease.state_files ?? [];
    if (files.length > 0 && store !== undefined) {
      for (const name of files) {
        const snapshot = await store.readState(lease.shard_id, name);
        sink.restore(snapshot);
        for (const d of (snapshot as { devices: { client_id: string }[] }).devices) c.clientIds.add(d.client_id);
        c.entries += (snapshot as { devices: unknown[] }).devices.length;
      }
      c.files = [...files];
    } else if (lease.snapshot !== null) {
      sink.restore(lease.snapshot);
      for (const id of lease.client_ids) c.clientIds.add(id);
    }
    return c;
  }

  /** A record of this device was applied. */
  applied(clientId: string): void {
    this.clientIds.add(clientId);
    this.changed.add(clientId);
  }

  get pending(): boolean {
    return this.changed.size > 0;
  }

  /**
   * The checkpoint of the state as it is now (taken before anything is awaited): its file
   * written, the lease fields returned. `done` removes the files it superseded, once the lease
   * names the new ones.
   */
  async prepare(sink: CheckpointSink): Promise<PreparedCheckpoint> {
    const changed = this.changed;
    this.changed = new Set();
    if (this.store === undefined)
      return { fields: { snapshot: sink.snapshot(this.clientIds), client_ids: [...this.clientIds] }, done: () => Promise.resolve() };
    const whole = this.files.length === 0 || this.files.length >= MAX_FILES || this.entries + changed.size > 2 * this.clientIds.size;
    const ids = whole ? this.clientIds : changed;
    if (ids.size === 0 && !whole) return { fields: { snapshot: null, client_ids: [], state_files: [...this.files] }, done: () => Promise.resolve() };
    const snapshot = sink.snapshot(ids);
    const name = `${this.owner}-${Date.now()}-${++this.written}`;
    const files = whole ? [name] : [...this.files, name];
    const entries = whole ? ids.size : this.entries + ids.size;
    await this.store.writeState(this.shardId, name, snapshot);
    return {
      fields: { snapshot: null, client_ids: [], state_files: files },
      done: async () => {
        this.files = files;
        this.entries = entries;
        if (whole) await this.store?.pruneStates(this.shardId, files);
      },
    };
  }
}
