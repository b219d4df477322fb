import type { KinesisClient } from "@aws-sdk/client-kinesis";
import type { LoggerLike } from "../collector/logger.js";
import type { LeaseStore, ShardStateStore } from "./lease-store.js";

/** What a Kinesis fleet source is given, and what it reports (KinesisFleetSource). */

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
  /**
   * A shard is checkpointed at most this often while records keep coming (default 1 s), and
   * whenever it has been read to its end. A replica killed in between loses nothing: the next
   * owner reads again from the checkpoint, onto the state as of that checkpoint.
   */
  checkpointMs?: number;
  /** Where the shards' device state is checkpointed (default: the lease store, when it is also one; else inside the leases). */
  states?: ShardStateStore;
  logger?: LoggerLike;
}

export interface KinesisSourceStats {
  shards: string[];
  records_applied: number;
  records_invalid: number;
  checkpoints: number;
  /** Shards whose last read came back empty: read up to now. */
  caught_up: string[];
}
