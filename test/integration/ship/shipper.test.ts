import { join } from "node:path";
import { io, iot, mqtt, mqtt5 } from "aws-iot-device-sdk-v2";
import { describe, expect, it } from "vitest";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { parseFleetPayload } from "../../../src/fleet/records.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { JournalWriter } from "../../../src/journal/writer.js";
import { instrumentMqtt5Client } from "../../../src/mqtt/mqtt5-adapter.js";
import { MAX_EVIDENCE_BYTES } from "../../../src/ship/evidence.js";
import { mqtt311Publisher, mqtt5Publisher } from "../../../src/mqtt/evidence-publish.js";
import { loadShipState } from "../../../src/ship/ship-state.js";
import { EvidenceShipper, type EvidenceShipperOptions } from "../../../src/ship/shipper.js";
import { sdkVersion } from "../../../src/version.js";
import { EvidenceInbox } from "../../helpers/evidence-inbox.js";
import { FaultProxy } from "../../helpers/fault-proxy.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { pollUntil } from "../../helpers/poll.js";

const m = mosquittoSuite("shipper");
const quiet = { warn: () => undefined, error: () => undefined };

const fast = { minReconnectDelayMs: 100, maxReconnectDelayMs: 200, retryJitterMode: mqtt5.RetryJitterType.None };

/** A real MQTT 5 client over plain TCP (through a fault proxy when `port` is the proxy's). */
function device(clientId: string, port: number): mqtt5.Mqtt5Client {
  const client = new mqtt5.Mqtt5Client({ hostName: "127.0.0.1", port, connectProperties: { clientId, keepAliveIntervalSeconds: 30 }, ...fast });
  m.cleanup(() => client.close());
  return client;
}

/** A real MQTT 5 client with mutual TLS, built as a device builds it for AWS IoT Core. */
function mtlsDevice(clientId: string): mqtt5.Mqtt5Client {
  const builder = iot.AwsIotMqtt5ClientConfigBuilder.newDirectMqttBuilderWithMtlsFromPath("127.0.0.1", m.pki.clientCert, m.pki.clientKey);
  builder
    .withCertificateAuthorityFromPath(undefined, m.pki.caCert)
    .withPort(m.broker.tlsPort)
    .withConnectProperties({ clientId, keepAliveIntervalSeconds: 30 });
  builder.withMinReconnectDelayMs(100).withMaxReconnectDelayMs(200).withRetryJitterMode(mqtt5.RetryJitterType.None);
  const client = new mqtt5.Mqtt5Client(builder.build());
  m.cleanup(() => client.close());
  return client;
}

async function inbox(filter: string): Promise<EvidenceInbox> {
  const box = await EvidenceInbox.open(m.broker.plainPort, filter);
  m.cleanup(() => box.close());
  return box;
}

async function shipper(
  options: Partial<EvidenceShipperOptions> & Pick<EvidenceShipperOptions, "collector" | "publish" | "clientId">,
): Promise<EvidenceShipper> {
  const s = await EvidenceShipper.start({
    statePath: join(m.dir, `${options.clientId}.state.json`),
    publishesPerSecond: 50,
    burst: 5,
    logger: quiet,
    ...options,
  });
  m.cleanup(() => s.stop());
  return s;
}

/** `n` failed attempts with long messages: journal events enough for several 128 KB messages. */
function failures(collector: MqttDiagnosticsCollector, n: number, tag = ""): void {
  for (let i = 0; i < n; i++) collector.recordConnectionFailure({ error: Object.assign(new Error(`${tag}${i} ${"x".repeat(480)}`), { name: "CrtError" }) });
}

describe("evidence shipping over a real aws-iot-device-sdk-v2 client", () => {
  it("MQTT 5 over mutual TLS: every event in order, QoS 1, in messages of at most 128 KiB, acknowledged and saved", async () => {
    const box = await inbox("mqtt-diagnostics/evidence/#");
    const collector = new MqttDiagnosticsCollector({ connection: "ship-5" });
    const client = mtlsDevice("ship-5");
    instrumentMqtt5Client(client, collector, { statisticsIntervalMs: 0 });
    const s = await shipper({ collector, publish: mqtt5Publisher(client), clientId: "ship-5" });
    client.start();
    await pollUntil(() => (collector.isConnected ? true : undefined), "connected");
    failures(collector, 800);
    const total = s.stats.next_seq - 1;
    await pollUntil(() => (s.stats.acked_seq === total ? true : undefined), "all acknowledged");
    await pollUntil(() => (box.lastSeq === total ? true : undefined), "all received");
    expect(box.messages.length).toBeGreaterThanOrEqual(3);
    expect(box.messages.every((r) => r.bytes <= MAX_EVIDENCE_BYTES && r.qos === 1 && r.topic === "mqtt-diagnostics/evidence/ship-5")).toBe(true);
    expect(box.messages.every((r) => r.message.client_id === "ship-5" && r.message.discarded_total === 0)).toBe(true);
    // What the fleet side reads: every message is a valid evidence record, no event skipped.
    const records = box.messages.map((r) => parseFleetPayload(r.raw, 0));
    expect(records.map((r) => ("error" in r ? r.error : `${r.kind}:${r.clientId}:${r.kind === "evidence" ? (r.skippedEvents ?? 0) : "-"}`))).toEqual(
      records.map(() => "evidence:ship-5:0"),
    );
    const events = box.bySeq();
    expect([...events.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(events.get(1)?.line.kind).toBe("connection_attempt");
    expect(events.get(total)?.line).toMatchObject({ kind: "connection_failure", error_message: expect.stringMatching(/^799 /) as unknown });
    await s.stop();
    expect(await loadShipState(join(m.dir, "ship-5.state.json"))).toMatchObject({ acked_seq: total, discarded_total: 0 });
  });

  it("MQTT 3.1.1 and a Basic Ingest topic: the client ID and the device's SDK version travel in the payload", async () => {
    const box = await inbox("$aws/rules/fleet_evidence/#");
    const collector = new MqttDiagnosticsCollector({ connection: "ship-311" });
    const config = {
      client_id: "ship-311",
      host_name: "127.0.0.1",
      port: m.broker.plainPort,
      socket_options: new io.SocketOptions(),
      clean_session: true,
      keep_alive: 30,
    };
    const connection = new mqtt.MqttClient().new_connection(config);
    m.cleanup(() => connection.disconnect().catch(() => undefined));
    await connection.connect();
    const s = await shipper({ collector, publish: mqtt311Publisher(connection), clientId: "ship-311", topic: "$aws/rules/fleet_evidence/${clientId}" });
    failures(collector, 5);
    await pollUntil(() => (box.lastSeq === 5 ? true : undefined), "received");
    expect(box.messages[0]).toMatchObject({
      topic: "$aws/rules/fleet_evidence/ship-311",
      qos: 1,
      message: { client_id: "ship-311", first_seq: 1, sdk_version: sdkVersion },
    });
    expect(sdkVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(s.stats.acked_seq).toBe(5);
  });

  it("offline, then back: what was recorded meanwhile arrives, nothing lost, a repeated seq only with the same event", async () => {
    const box = await inbox("mqtt-diagnostics/evidence/ship-off");
    const proxy = new FaultProxy("127.0.0.1", m.broker.plainPort);
    await proxy.listen();
    m.cleanup(() => proxy.close());
    const collector = new MqttDiagnosticsCollector({ connection: "ship-off" });
    const client = device("ship-off", proxy.port);
    instrumentMqtt5Client(client, collector, { statisticsIntervalMs: 0 });
    const s = await shipper({ collector, publish: mqtt5Publisher(client), clientId: "ship-off", ackTimeoutMs: 2000, retry: { minMs: 100, maxMs: 500 } });
    client.start();
    await pollUntil(() => (s.stats.acked_seq >= 2 ? true : undefined), "first events shipped");
    proxy.setMode("refuse");
    proxy.cut();
    await pollUntil(() => (collector.isConnected ? undefined : true), "dropped");
    failures(collector, 300, "off");
    proxy.setMode("pass");
    await pollUntil(() => (collector.isConnected ? true : undefined), "reconnected");
    failures(collector, 3, "back");
    const total = s.stats.next_seq - 1;
    await pollUntil(() => (box.lastSeq >= total && s.stats.acked_seq === total ? true : undefined), "all shipped");
    const events = box.bySeq();
    expect([...events.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(s.stats.discarded_total).toBe(0);
  });

  it("a bounded backlog: offline past the bound, the oldest are discarded and counted in the messages", async () => {
    const box = await inbox("mqtt-diagnostics/evidence/ship-bound");
    const proxy = new FaultProxy("127.0.0.1", m.broker.plainPort);
    await proxy.listen();
    m.cleanup(() => proxy.close());
    proxy.setMode("refuse");
    const collector = new MqttDiagnosticsCollector({ connection: "ship-bound" });
    const client = device("ship-bound", proxy.port);
    const s = await shipper({ collector, publish: mqtt5Publisher(client), clientId: "ship-bound", backlog: { maxEvents: 50 }, ackTimeoutMs: 0 });
    client.start();
    failures(collector, 200);
    // Seq 1 went out at once (held by the SDK while offline); the bound counts it.
    expect(s.stats).toMatchObject({ backlog: 50, discarded_total: 150 });
    proxy.setMode("pass");
    await pollUntil(() => (s.stats.acked_seq === 200 ? true : undefined), "shipped after reconnecting");
    await pollUntil(() => (box.lastSeq === 200 ? true : undefined), "received");
    const seqs = [...box.bySeq().keys()].sort((a, b) => a - b);
    expect(seqs).toEqual([1, ...Array.from({ length: 49 }, (_, i) => 152 + i)]);
    expect(box.messages[box.messages.length - 1]?.message.discarded_total).toBe(150);
  });

  it("a restart resumes from the journal: the same seqs for the same events, nothing lost", async () => {
    const box = await inbox("mqtt-diagnostics/evidence/ship-restart");
    const journalPath = join(m.dir, "restart", "journal.jsonl");
    const proxy = new FaultProxy("127.0.0.1", m.broker.plainPort);
    await proxy.listen();
    m.cleanup(() => proxy.close());
    const run = async (n: number, tag: string, offline: boolean) => {
      const registry = new CollectorRegistry();
      const writer = new JournalWriter({ path: journalPath, logger: quiet });
      writer.attach(registry);
      const collector = registry.getOrCreate("ship-restart");
      proxy.setMode(offline ? "refuse" : "pass");
      const client = device(`ship-restart-${tag}`, proxy.port);
      const s = await shipper({ collector, publish: mqtt5Publisher(client), clientId: "ship-restart", journalPath, ackTimeoutMs: 0 });
      client.start();
      failures(collector, n, tag);
      return { s, writer, client, collector };
    };
    // First life: 5 shipped, then 40 recorded offline, then the process ends.
    const first = await run(5, "a", false);
    await pollUntil(() => (first.s.stats.acked_seq === 5 ? true : undefined), "first shipped");
    proxy.setMode("refuse");
    proxy.cut();
    await pollUntil(() => (first.collector.isConnected ? undefined : true), "the drop recorded");
    failures(first.collector, 40, "offline");
    await first.s.stop();
    first.client.close();
    await first.writer.close();
    const recordedBefore = first.s.stats.next_seq - 1;
    // Second life: reads what is unshipped from the journal, then ships it and its new events.
    const second = await run(2, "b", false);
    await pollUntil(
      () => (second.s.stats.acked_seq === second.s.stats.next_seq - 1 && second.s.stats.next_seq - 1 > recordedBefore ? true : undefined),
      "second shipped",
    );
    await second.s.stop();
    await second.writer.close();
    const total = second.s.stats.acked_seq;
    await pollUntil(() => (box.lastSeq === total ? true : undefined), "all received");
    const events = box.bySeq();
    expect([...events.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect([...events.values()].filter((e) => String(e.line["error_message"]).startsWith("offline")).length).toBe(40);
  });
});
