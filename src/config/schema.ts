import { z } from "zod";
import { MAX_CONNECTIONS } from "../collector/registry.js";
import { connectionSchema, type customAuthSchema, type evidenceSchema } from "./connection-schema.js";

/** Where lifecycle events come from, and so why they can be believed (docs/lifecycle.md#trust). */
export const LIFECYCLE_TRUST = ["aws_iot_core", "broker_acl"] as const;
export type LifecycleTrust = (typeof LIFECYCLE_TRUST)[number];

/** The most connections one process watches (docs/configuration.md); more is refused at load. */
export { MAX_CONNECTIONS };

export const journalSchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .default("data/journal.jsonl")
      .describe("Journal file (JSON Lines): a regular file, or a path where one can be created; rotated files get .1, .2, …"),
    max_bytes: z
      .number()
      .int()
      .min(4096)
      .max(2 ** 40)
      .default(64 * 1024 * 1024)
      .describe("Rotate when the active file's events reach this size."),
    retain_files: z.number().int().min(0).max(1000).default(5).describe("Rotated files kept besides the active one."),
  })
  .describe("The durable event journal.");

/** The fleet's Kinesis source (docs/fleet-kinesis.md); credentials come from the AWS SDK's chain, never from here. */
export const fleetKinesisSchema = z
  .strictObject({
    stream: z
      .string()
      .regex(/^[a-zA-Z0-9_.-]{1,128}$/, "must be a Kinesis stream name (1-128 of a-z A-Z 0-9 _ . -)")
      .describe("The Kinesis data stream the IoT rules write lifecycle events and evidence to (partition key: the client ID)."),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS region such as eu-west-1")
      .describe("The stream's AWS region."),
    endpoint: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("Kinesis endpoint URL (a VPC endpoint, or a local Kinesis for tests); default: the region's."),
    lease_directory: z
      .string()
      .min(1)
      .default("data/fleet-leases")
      .describe("Directory of the shard leases and checkpoints, shared by the replicas of one host (relative: to the configuration file's folder)."),
    owner: z.string().min(1).max(256).optional().describe("This replica's name in the leases, unique per replica; default: hostname and process ID."),
    lease_seconds: z
      .number()
      .min(1)
      .max(300)
      .default(10)
      .describe("A lease not renewed within this lapses and another replica takes the shard (renewed every quarter of it)."),
    idle_ms: z
      .number()
      .int()
      .min(200)
      .max(60_000)
      .default(1000)
      .describe("Wait after a GetRecords call that returned nothing (AWS allows 5 GetRecords/s per shard)."),
    checkpoint_ms: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(1000)
      .describe(
        "Least time between two checkpoints of a shard while records come (a restarted replica re-reads at most this much; each device changed since is written once).",
      ),
  })
  .describe("Where `fleet.source: kinesis` reads: the stream, its region, and the replicas' leases.");

/** The fleet consumer (issue 23); the topic filter's wildcards and the source's settings are checked in load.ts. */
export const fleetSchema = z
  .strictObject({
    source: z
      .enum(["mqtt", "kinesis"])
      .default("mqtt")
      .describe(
        "Where AWS's lifecycle events and the devices' evidence come from: `mqtt` subscribes on `fleet.connection` (small fleets: AWS delivers at most 100 messages/s to one connection); `kinesis` reads the stream of `fleet.kinesis` (docs/fleet-kinesis.md).",
      ),
    connection: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe(
        "With `source: mqtt` (required there): name of the configured connection that subscribes to `$aws/events/presence/+/+` and the evidence topic (its policy needs iot:Subscribe/iot:Receive on both; docs/fleet.md).",
      ),
    kinesis: fleetKinesisSchema.optional(),
    evidence_topic_filter: z
      .string()
      .min(1)
      .max(256)
      .default("mqtt-diagnostics/evidence/+")
      .describe(
        "With `source: mqtt`: the topic filter the devices' evidence is subscribed on (they publish to `mqtt-diagnostics/evidence/${clientId}` by default).",
      ),
    top_k: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(5)
      .describe("Devices per cause shown as their own series in `mqtt_fleet_top_device_drops` (the only per-device series)."),
    join_window_seconds: z.number().min(1).max(300).default(10).describe("How long a device's new events settle before it is diagnosed again."),
    trust: z
      .enum(LIFECYCLE_TRUST)
      .optional()
      .describe(
        "With `source: mqtt`: why the `$aws/events/` messages `fleet.connection` receives are evidence, as `lifecycle.trust`: required when its endpoint is not AWS IoT Core's.",
      ),
  })
  .describe(
    "Fleet mode (`mqtt-diagnostics fleet`): every device's AWS lifecycle events and shipped evidence, joined and diagnosed per device (docs/fleet.md).",
  );

export const configSchema = z.strictObject({
  connections: z
    .array(connectionSchema)
    .max(MAX_CONNECTIONS)
    .default([])
    .describe(
      `The connections to watch (at most ${MAX_CONNECTIONS}); at least one, unless the file has a \`fleet\` section (a fleet-only replica, e.g. on Kinesis, watches none).`,
    ),
  journal: journalSchema.default({ path: "data/journal.jsonl", max_bytes: 64 * 1024 * 1024, retain_files: 5 }),
  lifecycle: z
    .strictObject({
      observer: z
        .string()
        .min(1)
        .max(128)
        .describe(
          "Name of the configured connection that subscribes to AWS IoT Core's lifecycle events of every other watched client ID (docs/lifecycle.md; its policy needs iot:Subscribe/iot:Receive on them).",
        ),
      join_window_seconds: z
        .number()
        .min(1)
        .max(300)
        .default(10)
        .describe("How far apart a drop and AWS's lifecycle event about it may be and still be joined."),
      trust: z
        .enum(LIFECYCLE_TRUST)
        .optional()
        .describe(
          "Why the observer's `$aws/events/` messages are evidence: `aws_iot_core` (only AWS IoT Core publishes there; the default when the observer's endpoint is `*.iot.REGION.amazonaws.com`, give it for a custom domain) or `broker_acl` (another broker whose ACL lets no client publish there). Required when the observer's endpoint is not AWS IoT Core's.",
        ),
    })
    .optional()
    .describe("AWS IoT Core's side of every drop: lifecycle events joined to the drops."),
  fleet: fleetSchema.optional(),
  max_events_retained: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(1000)
    .describe("Drops, connections and failures kept per connection (the original module's max_events_retained)."),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type ConnectionConfig = z.output<typeof connectionSchema>;
export type CustomAuthConfig = z.output<typeof customAuthSchema>;
export type JournalConfig = z.output<typeof journalSchema>;
export type FleetConfig = z.output<typeof fleetSchema>;
export type FleetKinesisConfig = z.output<typeof fleetKinesisSchema>;
export type EvidenceConfig = z.output<typeof evidenceSchema>;
