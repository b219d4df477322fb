/**
 * Leases on a stream's shards, shared by the replicas: one owner per shard at a time, taken over
 * when it lapses (its replica died), and with each the shard's checkpoint. The tests and a single
 * host use a directory (DirectoryLeaseStore); across hosts, a table with conditional writes
 * (DynamoDB, as the Kinesis Client Library does) implements the same interface.
 */
export interface Lease {
  shard_id: string;
  /** The replica holding it, null when released. */
  owner: string | null;
  /** When it lapses unless renewed (ms since the epoch). */
  expires_at: number;
  /** +1 per write. */
  version: number;
  /** The last sequence number applied and checkpointed, `SHARD_END` once a closed shard is done, null before any. */
  checkpoint: string | null;
  /** The state of the shard's devices as of the checkpoint (the fleet state's snapshot), when kept in the lease. */
  snapshot: unknown;
  /** The client IDs whose records the shard carried up to the checkpoint (with `snapshot`). */
  client_ids: string[];
  /**
   * With a ShardStateStore: the checkpoint's state files, oldest first, a device's newest state in
   * the last file holding it (a full one, then the devices changed since, one file per checkpoint).
   */
  state_files?: string[];
  /** A replica below its fair share asks the owner to hand this shard over. */
  wanted_by?: string;
}

export const SHARD_END = "SHARD_END";

/**
 * Where a shard's device state is checkpointed when it is not kept in the lease: a file per
 * checkpoint holding only the devices changed since the previous one, so a checkpoint costs what
 * changed, not the shard's whole fleet, and the leases stay small (they are all read every round).
 */
export interface ShardStateStore {
  /** Writes a whole file (atomically: a reader sees all of it or none). Names are unique per write. */
  writeState(shardId: string, name: string, snapshot: unknown): Promise<void>;
  readState(shardId: string, name: string): Promise<unknown>;
  /** Removes the shard's files not in `keep` (those an older checkpoint used). */
  pruneStates(shardId: string, keep: readonly string[]): Promise<void>;
}

export const isShardStateStore = (s: object): s is ShardStateStore => "writeState" in s && "readState" in s && "pruneStates" in s;

export interface LeaseStore {
  /** Every lease there is. */
  all(): Promise<Lease[]>;
  /**
   * Changes one lease atomically: `change` gets the current lease (undefined: none yet) and
   * returns the new one, or undefined to leave it. Returns what was written, or undefined.
   */
  update(shardId: string, change: (current: Lease | undefined) => Lease | undefined): Promise<Lease | undefined>;
}

export function newLease(shardId: string): Lease {
  return { shard_id: shardId, owner: null, expires_at: 0, version: 0, checkpoint: null, snapshot: null, client_ids: [] };
}

/** Free to take: never owned, released, or lapsed. */
export function isFree(lease: Lease | undefined, now: number): boolean {
  return lease === undefined || lease.owner === null || lease.expires_at <= now;
}
