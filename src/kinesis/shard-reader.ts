import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type _Record } from "@aws-sdk/client-kinesis";
import type { ShardInfo } from "./lease-plan.js";

/** Every shard of the stream (ListShards, page by page), with its parents after a split or merge. */
export async function listShards(client: KinesisClient, stream: string): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  let token: string | undefined;
  do {
    const out = await client.send(new ListShardsCommand(token === undefined ? { StreamName: stream } : { NextToken: token }));
    for (const s of out.Shards ?? [])
      if (s.ShardId !== undefined) shards.push({ shardId: s.ShardId, parentShardId: s.ParentShardId, adjacentParentShardId: s.AdjacentParentShardId });
    token = out.NextToken;
  } while (token !== undefined);
  return shards;
}

/** One GetRecords answer: its records, and whether the shard is closed and read to its end. */
export interface ShardBatch {
  records: _Record[];
  ended: boolean;
  behindMs: number;
}

/**
 * Reads one shard from just after a sequence number (or its oldest record): GetShardIterator,
 * then GetRecords in a loop, a new iterator when one expires. Errors are the caller's to back off.
 */
export class ShardReader {
  private iterator: string | undefined;

  constructor(
    private readonly client: KinesisClient,
    private readonly stream: string,
    readonly shardId: string,
    private after: string | null,
    private readonly limit = 1000,
  ) {}

  private async newIterator(): Promise<string> {
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: this.stream,
        ShardId: this.shardId,
        ...(this.after === null ? { ShardIteratorType: "TRIM_HORIZON" } : { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber: this.after }),
      }),
    );
    if (out.ShardIterator === undefined) throw new Error(`no iterator for shard ${this.shardId}`);
    return out.ShardIterator;
  }

  async next(): Promise<ShardBatch> {
    this.iterator ??= await this.newIterator();
    let out;
    try {
      out = await this.client.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: this.limit }));
    } catch (err) {
      // An iterator lives 5 minutes: a new one from the last record read.
      if ((err as { name?: string }).name === "ExpiredIteratorException") this.iterator = undefined;
      throw err;
    }
    const records = out.Records ?? [];
    const last = records[records.length - 1];
    if (last?.SequenceNumber !== undefined) this.after = last.SequenceNumber;
    this.iterator = out.NextShardIterator ?? undefined;
    return { records, ended: out.NextShardIterator === undefined || out.NextShardIterator === null, behindMs: out.MillisBehindLatest ?? 0 };
  }
}
