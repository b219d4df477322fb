import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KinesisClient } from "@aws-sdk/client-kinesis";
import { ShardReader } from "../../../src/kinesis/shard-reader.js";
import { Kinesalite, putRecords } from "../../helpers/kinesalite.js";

let kinesis: Kinesalite;
let client: KinesisClient;
beforeAll(async () => {
  kinesis = await Kinesalite.start();
  client = kinesis.client();
  await kinesis.createStream("reader", 1);
}, 30_000);
afterAll(() => {
  client.destroy();
  kinesis.stop();
});

describe("ShardReader", () => {
  it("reads from the oldest record, then from just after a sequence number", async () => {
    await putRecords(
      client,
      "reader",
      Array.from({ length: 30 }, (_, i) => ({ clientId: `d${i}`, payload: String(i) })),
    );
    const all = new ShardReader(client, "reader", "shardId-000000000000", null, 10);
    const seen: string[] = [];
    const seqs: string[] = [];
    while (seen.length < 30) {
      const batch = await all.next();
      expect(batch.ended).toBe(false);
      for (const r of batch.records) {
        seen.push(Buffer.from(r.Data ?? new Uint8Array()).toString());
        seqs.push(r.SequenceNumber ?? "");
      }
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
    const after = new ShardReader(client, "reader", "shardId-000000000000", seqs[19] ?? null, 100);
    expect((await after.next()).records.map((r) => Buffer.from(r.Data ?? new Uint8Array()).toString())).toEqual(
      Array.from({ length: 10 }, (_, i) => String(20 + i)),
    );
  });
});
