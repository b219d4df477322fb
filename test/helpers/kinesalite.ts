import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import { createKinesisClient } from "../../src/kinesis/kinesis-client.js";
import { onFreePorts } from "./free-port.js";
import { untilListening } from "./listening.js";
import { pollUntil } from "./poll.js";

const CLI = createRequire(import.meta.url).resolve("kinesalite/cli.js");

/** A real kinesalite (in memory) in its own process, on loopback. */
export class Kinesalite {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<Kinesalite> {
    return onFreePorts(1, async ([port = 0]) => {
      const child = spawn(
        process.execPath,
        [CLI, "--port", String(port), "--createStreamMs", "0", "--deleteStreamMs", "0", "--updateStreamMs", "0", "--shardLimit", "100"],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
      await untilListening(child, [port], "kinesalite", () => stderr);
      return new Kinesalite(child, `http://127.0.0.1:${port}`);
    });
  }

  client(): KinesisClient {
    return createKinesisClient({ region: "us-east-1", endpoint: this.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  }

  async createStream(name: string, shards: number): Promise<void> {
    const client = this.client();
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    await pollUntil(
      async () =>
        (await client.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary?.StreamStatus === "ACTIVE" ? true : undefined,
      "stream active",
    );
    client.destroy();
  }

  stop(): void {
    this.child.kill("SIGKILL");
  }
}

/** Writes records as an IoT rule would: the JSON payload, partition key the client ID; 500 per call. */
export async function putRecords(client: KinesisClient, stream: string, records: readonly { clientId: string; payload: string }[]): Promise<void> {
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    const out = await client.send(
      new PutRecordsCommand({ StreamName: stream, Records: chunk.map((r) => ({ PartitionKey: r.clientId, Data: Buffer.from(r.payload) })) }),
    );
    if ((out.FailedRecordCount ?? 0) > 0) throw new Error(`${out.FailedRecordCount} records not written`);
  }
}
