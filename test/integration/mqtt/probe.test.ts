import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mqtt5 } from "aws-iot-device-sdk-v2";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { instrumentMqtt5Client } from "../../../src/mqtt/mqtt5-adapter.js";
import { type ProbeTransport, RoundTripProbe } from "../../../src/mqtt/probe.js";
import { makeTestPki } from "../../helpers/certs.js";
import { Mosquitto } from "../../helpers/mosquitto.js";
import { pollUntil } from "../../helpers/poll.js";

let dir: string;
let broker: Mosquitto;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mde-probe-"));
  broker = await Mosquitto.start(makeTestPki(dir));
}, 60_000);
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A real MQTT 5 client on Mosquitto with the probe wired as the service wires it. */
function probed(topic: string, publishTo: string, timeoutMs: number): { collector: MqttDiagnosticsCollector; probe: RoundTripProbe } {
  const collector = new MqttDiagnosticsCollector({ connection: `probe-${topic}` });
  const client = new mqtt5.Mqtt5Client({ hostName: "127.0.0.1", port: broker.plainPort, connectProperties: { keepAliveIntervalSeconds: 30 } });
  const adapter = instrumentMqtt5Client(client, collector);
  const transport: ProbeTransport = {
    subscribe: async (t) => {
      await client.subscribe({ subscriptions: [{ topicFilter: t, qos: mqtt5.QoS.AtLeastOnce }] });
    },
    // `publishTo` differs from the probe's topic when the test wants the message lost.
    publish: async (_t, payload) => {
      await client.publish({ topicName: publishTo, qos: mqtt5.QoS.AtLeastOnce, payload });
    },
  };
  const probe = new RoundTripProbe({ topic, interval_seconds: 3600, timeout_ms: timeoutMs }, transport, collector);
  client.on("connectionSuccess", () => void probe.onConnected());
  client.on("messageReceived", (e) => probe.onMessage(e.message.topicName, Buffer.from(e.message.payload as ArrayBuffer).toString()));
  client.start();
  cleanups.push(() => {
    probe.stop();
    adapter.detach();
    client.stop();
    client.close();
  });
  return { collector, probe };
}

describe("RoundTripProbe on a real broker", () => {
  it("records the round trip of its own message, and tells other messages apart", async () => {
    const { collector, probe } = probed("diag/probe-a", "diag/probe-a", 10_000);
    const rtt = await pollUntil(() => collector.lastProbeRttSeconds ?? undefined, "a probe round trip", 20_000, 20);
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect([collector.probeCount, collector.probeTimeoutCount]).toEqual([1, 0]);
    expect(probe.onMessage("diag/probe-a", "someone else's payload")).toBe(false);
    expect(probe.onMessage("other/topic", "x")).toBe(false);
  }, 30_000);

  it("counts a probe that never comes back as a timeout", async () => {
    const { collector } = probed("diag/probe-b", "diag/nowhere", 200);
    await pollUntil(() => (collector.probeTimeoutCount > 0 ? true : undefined), "a probe timeout", 20_000, 20);
    expect(collector.lastProbeRttSeconds).toBeNull();
  }, 30_000);
});
