import { isIP } from "node:net";
import { z } from "zod";
import { evidenceTopic } from "./evidence-topic.js";
import { defaultBrokerPort, TRANSPORTS } from "./transport.js";

/** One watched connection's settings (`connections[]`): the broker, TLS, transport, reconnect, probe, evidence. */

const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/**
 * The configuration file's one schema: it validates, supplies defaults and types, and
 * generates the settings table in docs/configuration.md (`npm run docs:settings`). Keys are snake_case.
 */
const tlsSchema = z
  .strictObject({
    cert_file: z.string().min(1).optional().describe("Client certificate (PEM) for mutual TLS (transports `mtls`, `mtls_alpn`)."),
    key_file: z.string().min(1).optional().describe("Private key (PEM) of the client certificate (transports `mtls`, `mtls_alpn`)."),
    ca_file: z.string().min(1).optional().describe("CA bundle to trust (e.g. AmazonRootCA1.pem); default: the system's. Any transport."),
  })
  .describe("TLS files. Transport `mtls` without them is plain TCP (local brokers, tests); the other transports always use TLS.");

export const customAuthSchema = z
  .strictObject({
    authorizer_name: z
      .string({ error: (issue) => (issue.input === undefined ? "required: the custom authorizer's name" : undefined) })
      .min(1)
      .max(128)
      .describe("The custom authorizer's name (`x-amz-customauthorizer-name`)."),
    username: z.string().min(1).max(1024).optional().describe("MQTT username passed to the authorizer (the SDK appends the authorizer's query parameters)."),
    password: z.string().min(1).max(65_535).optional().describe("MQTT password passed to the authorizer."),
    token_key_name: z.string().min(1).max(128).optional().describe("Signed token: the query parameter name the authorizer reads the token from."),
    token_value: z.string().min(1).max(4096).optional().describe("Signed token: the token."),
    token_signature: z.string().min(1).max(4096).optional().describe("Signed token: its signature (base64; URL-encoded when sent)."),
    websocket: z.boolean().default(false).describe("Over WebSocket (wss, 443) instead of MQTT over TLS with ALPN `mqtt` (443)."),
  })
  .describe("Custom authentication (transport `custom_auth`).");

const reconnectSchema = z
  .strictObject({
    min_delay_ms: z.number().int().min(0).max(3_600_000).default(1000).describe("First reconnect delay. AWS IoT allows one connect per second per client ID."),
    max_delay_ms: z.number().int().min(1).max(3_600_000).default(120_000).describe("Cap of the exponential backoff."),
    jitter: z.enum(["none", "full", "decorrelated"]).default("full").describe("Backoff jitter (aws-crt retry jitter mode)."),
  })
  .describe("Reconnect backoff.");

const probeSchema = z
  .strictObject({
    topic: z.string().min(1).max(256).describe("Topic the probe publishes to (QoS 1) and subscribes to."),
    interval_seconds: z.number().int().min(5).max(86_400).default(30).describe("Seconds between probes."),
    timeout_ms: z.number().int().min(100).max(120_000).default(10_000).describe("A probe not back within this is counted as a timeout."),
  })
  .describe("Optional round-trip probe.");

export const evidenceSchema = z
  .strictObject({
    topic: z
      .string()
      .superRefine((v, ctx) => {
        const checked = evidenceTopic(v, "client");
        if ("problem" in checked) ctx.addIssue({ code: "custom", message: checked.problem });
      })
      .optional()
      .describe(
        "Topic the connection publishes its evidence on (QoS 1), `${clientId}` replaced. Default: `mqtt-diagnostics/evidence/${clientId}`. A Basic Ingest topic (`$aws/rules/RULE_NAME/...`) saves the message-broker charge.",
      ),
    publishes_per_second: z.number().gt(0).max(100).default(1).describe("The shipper's share of AWS IoT Core's 100 publishes/s per connection."),
    burst: z.number().int().min(1).max(100).default(1).describe("Publishes allowed back to back."),
    max_backlog_events: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .default(10_000)
      .describe("Unshipped events kept in memory at most; past it the oldest are discarded and counted (`discarded_total`)."),
    max_backlog_bytes: z
      .number()
      .int()
      .min(131_072)
      .max(2 ** 32)
      .default(8 * 1024 * 1024)
      .describe("Bytes of unshipped events kept in memory at most."),
  })
  .describe("Ship this connection's journal events to the fleet (docs/evidence-shipping.md): a per-device seq is kept beside the journal.");

export const connectionSchema = z.strictObject({
  name: z.string().min(1).max(128).optional().describe("The `connection` label value. Default: client_id."),
  endpoint: z
    .string()
    .min(1)
    .max(253)
    // A URL (`mqtts://host:8883`) or `host:port` here is a common slip; aws-crt would only fail at DNS.
    .refine((v) => isIP(v) !== 0 || HOST_NAME.test(v), "must be a host name or IP address, without scheme, port or path (the port goes in `port`)")
    .describe("Broker host, e.g. abc123-ats.iot.eu-west-1.amazonaws.com."),
  port: z
    .number()
    .int()
    .min(1)
    .max(65_535)
    .optional()
    .describe(
      `Broker port. Default: ${defaultBrokerPort(true)} for \`mtls\` (${defaultBrokerPort(false)} without tls), ${defaultBrokerPort(true, "mtls_alpn")} for the other transports.`,
    ),
  client_id: z.string().min(1).max(128).describe("MQTT client ID (AWS IoT: at most 128 bytes)."),
  protocol: z.enum(["mqtt5", "mqtt311"]).default("mqtt5").describe("MQTT protocol version."),
  transport: z.enum(TRANSPORTS).default("mtls").describe("How the connection reaches AWS IoT Core: see Transports below."),
  tls: tlsSchema.optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/, "must be an AWS region name such as eu-west-1")
    .optional()
    .describe("AWS region SigV4 signs for (transport `websocket_sigv4`). Default: the one in an AWS IoT endpoint's name."),
  custom_auth: customAuthSchema.optional(),
  keep_alive_seconds: z
    .number()
    .int()
    .min(30)
    .max(1200)
    .default(300)
    .describe("Keep-alive; AWS IoT Core accepts 30-1200 s. Above 300 s risks NAT idle timeouts."),
  ping_timeout_ms: z.number().int().min(100).max(120_000).default(5000).describe("How long to wait for PINGRESP before the connection counts as dead."),
  reconnect: reconnectSchema.default({ min_delay_ms: 1000, max_delay_ms: 120_000, jitter: "full" }),
  probe: probeSchema.optional(),
  evidence: evidenceSchema.optional(),
});
