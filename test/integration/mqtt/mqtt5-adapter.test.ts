import { mqtt5 } from "aws-iot-device-sdk-v2";
import { describe, expect, it } from "vitest";
import { instrumentMqtt5Client } from "../../../src/mqtt/mqtt5-adapter.js";
import { FaultProxy } from "../../helpers/fault-proxy.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { pollUntil } from "../../helpers/poll.js";
import { kinds, recorded } from "../../helpers/recorded.js";
import { blockEventLoop, restartableBroker } from "../../helpers/restartable-broker.js";

const m = mosquittoSuite("adapter5");

function mqtt5Client(clientId: string, port: number): mqtt5.Mqtt5Client {
  const client = new mqtt5.Mqtt5Client({
    hostName: "127.0.0.1",
    port,
    connectProperties: { clientId, keepAliveIntervalSeconds: 30 },
    minReconnectDelayMs: 100,
    maxReconnectDelayMs: 200,
    retryJitterMode: mqtt5.RetryJitterType.None,
  });
  m.cleanup(() => client.close());
  return client;
}

describe("stop semantics (library)", () => {
  it("mqtt5: detach() then client.stop(), the documented order, records a stop", async () => {
    const { collector, lines } = recorded("detach-5");
    const client = mqtt5Client("detach-5", m.broker.plainPort);
    const { detach } = instrumentMqtt5Client(client, collector, { statisticsIntervalMs: 0 });
    client.start();
    await pollUntil(() => (collector.isConnected ? true : undefined), "connected");
    detach();
    const stopped = new Promise((r) => client.once("stopped", r));
    client.stop();
    await stopped;
    expect(collector.isConnected).toBe(false);
    expect(collector.sessionUptimeSeconds()).toBe(0);
    expect(kinds(lines).filter((k) => k !== "connection_attempt")).toEqual(["connection_success:connected", "connection_stopped"]);
  });

  it("mqtt5: client.stop() then detach() records one stop, not two", async () => {
    const { collector, lines } = recorded("stop-5");
    const client = mqtt5Client("stop-5", m.broker.plainPort);
    const { detach } = instrumentMqtt5Client(client, collector, { statisticsIntervalMs: 0 });
    client.start();
    await pollUntil(() => (collector.isConnected ? true : undefined), "connected");
    const stopped = new Promise((r) => client.once("stopped", r));
    client.stop();
    await stopped;
    await pollUntil(() => (lines.some((l) => l.kind === "connection_stopped") ? true : undefined), "stop recorded");
    detach();
    expect(lines.filter((l) => l.kind === "connection_stopped")).toHaveLength(1);
    expect(lines.filter((l) => l.kind === "connection_drop")).toHaveLength(0);
  });
});

describe("publish counting (library)", () => {
  it("mqtt5: a QoS 0 publish the SDK refuses offline is rejected, not queued; a QoS 1 one held offline is queued", async () => {
    const proxy = new FaultProxy("127.0.0.1", m.broker.plainPort);
    await proxy.listen();
    m.cleanup(() => proxy.close());
    proxy.setMode("refuse");
    const { collector } = recorded("pub-5");
    const client = mqtt5Client("pub-5", proxy.port);
    const { publish, detach } = instrumentMqtt5Client(client, collector, { statisticsIntervalMs: 0 });
    m.cleanup(() => detach());
    client.start();
    const refused = await publish({ topicName: "t/pub-5", qos: mqtt5.QoS.AtMostOnce, payload: "x" }).then(
      () => "sent",
      (e: unknown) => String(e),
    );
    expect(refused).toMatch(/AWS_ERROR_MQTT5_OPERATION_FAILED_DUE_TO_OFFLINE_QUEUE_POLICY/);
    const held = publish({ topicName: "t/pub-5", qos: mqtt5.QoS.AtLeastOnce, payload: "y" });
    proxy.setMode("pass");
    await held;
    await pollUntil(() => (collector.totals.messages_queued === 1 ? true : undefined), "queued counted");
    await publish({ topicName: "t/pub-5", qos: mqtt5.QoS.AtMostOnce, payload: "z" });
    expect(collector.totals.messages_queued).toBe(1);
    expect(collector.totals.messages_published).toBe(1);
    expect(collector.publishesRejected).toBe(1);
  });
});

describe("callbacks delivered late and out of order (issue 15)", () => {
  it("mqtt5: the broker restarts while the event loop is blocked; the final state is the client's (connected)", async () => {
    const broker = await restartableBroker(m.dir, "ooo5");
    m.cleanup(() => broker.killAll());
    const { collector, lines } = recorded("ooo-1");
    const client = mqtt5Client("ooo-1", broker.port);
    const { detach } = instrumentMqtt5Client(client, collector, { statisticsIntervalMs: 0 });
    m.cleanup(() => detach());
    client.start();
    await pollUntil(() => (collector.isConnected ? true : undefined), "connected");

    broker.kill();
    // While this thread is blocked: the SDK sees the drop and failed reconnects...
    blockEventLoop(() => false, 800);
    const second = broker.start();
    // ...then its reconnection, which the new broker logs; its CONNACK callback is queued right after.
    blockEventLoop(() => broker.logged(second, " as ooo-1 "), 15_000);
    blockEventLoop(() => false, 500);
    expect(broker.logged(second, " as ooo-1 ")).toBe(true);

    // The client is connected: a QoS 1 publish completes; by then the queued callbacks have run.
    await client.publish({ topicName: "t/ooo", qos: mqtt5.QoS.AtLeastOnce, payload: "x" });
    await pollUntil(
      () =>
        lines.some((l) => l.kind === "connection_drop") && lines.some((l) => l.kind === "connection_success" && l.event_type === "resumed") ? true : undefined,
      "drop and resume recorded",
    );
    expect(collector.isConnected).toBe(true);
    const lifecycle = kinds(lines).filter((k) => k === "connection_drop" || k.startsWith("connection_success"));
    expect(lifecycle).toEqual(["connection_success:connected", "connection_drop", "connection_success:resumed"]);
  });
});
