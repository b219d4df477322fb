// `mqtt-diagnostics-exporter/kinesis`: the fleet's Kinesis Data Streams source, its client and leases.
export { KinesisFleetSource, type KinesisSourceOptions, type KinesisSourceStats, type CheckpointedFleetState } from "../kinesis/kinesis-source.js";
export { createKinesisClient, type KinesisClientOptions } from "../kinesis/kinesis-client.js";
export { DirectoryLeaseStore } from "../kinesis/directory-lease-store.js";
export { SHARD_END, type Lease, type LeaseStore, type ShardStateStore } from "../kinesis/lease-store.js";
