import { KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export interface KinesisClientOptions {
  region: string;
  /** A local Kinesis (kinesalite) or a VPC endpoint; default: the region's. */
  endpoint?: string;
  /** Default: the SDK's credential chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * A Kinesis client over HTTP/1.1: the SDK's default handler speaks HTTP/2 to Kinesis, which
 * kinesalite (the tests' Kinesis) does not; HTTP/1.1 works with both. Timeouts keep a stalled
 * connection from stalling a shard.
 */
export function createKinesisClient(options: KinesisClientOptions): KinesisClient {
  return new KinesisClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 }),
    maxAttempts: 3,
  });
}
