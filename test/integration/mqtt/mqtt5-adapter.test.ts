import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mqtt, mqtt5 } from "aws-iot-device-sdk-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import type { JournalEvent } from "../../../src/journal/events.js";
import { FaultProxy } from "../../helpers/fault-proxy.js";
import { instrumentMqtt311Connection } from "../../../src/mqtt/mqtt311-adapter.js";
import { instrumentMqtt5Client } from "../../../src/mqtt/mqtt5-adapter.js";
import { buildMqtt311Connection } from "../../../src/mqtt/build-clients.js";
import { makeTestPki, type TestPki } from "../../helpers/certs.js";
import { freePort } from "../../helpers/free-port.js";
import { Mosquitto } from "../../helpers/mosquitto.js";
import { pollUntil } from "../../helpers/poll.js";
import { requireTool } from "../../helpers/require-tool.js";
import { testConnection } from "../../helpers/service.js";

let dir: string;
let pki: TestPki;
let broker: Mosquitto;
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mde-adapters-"));
  pki = makeTestPki(dir);
  broker = await Mosquitto.start(pki);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A collector with every journal line it emits. */
function recorded(connection: string): { collector: MqttDiagnosticsCollector; lines: JournalEvent[] } {
  const collector = new MqttDiagnosticsCollector({ connection });
  const lines: JournalEvent[] = [];
  collector.onEvent((e) => lines.push(e.line));
  return { collector, lines };
}

function mqtt5Client(clientId: string, port: number): mqtt5.Mqtt5Client {
  const client = new mqtt5.Mqtt5Client({
    hostName: "127.0.0.1",
    port,
    connectProperties: { clientId, keepAliveIntervalSeconds: 30 },
    minReconnectDelayMs: 100,
    maxReconnectDelayMs: 200,
    retryJitterMode: mqtt5.RetryJitterType.None,
  });
  cleanups.push(() => client.close());
  return client;
}

const kinds = (lines: JournalEvent[]) => lines.map((l) => (l.kind === "connection_success" ? `${l.kind}:${l.event_type}` : l.kind));

describe("stop semantics (library)", () => {
  it("mqtt5: detach() then client.stop(), the documented order, records a stop", async () => {
    const { collector, lines } = recorded("detach-5");
    const client = mqtt5Client("detach-5", broker.plainPort);
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
    const client = mqtt5Client("stop-5", broker.plainPort);
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

  it("mqtt311: detach() then disconnect() records a stop", async () => {
    const { collector, lines } = recorded("detach-311");
    const connection = buildMqtt311Connection(testConnection({ client_id: "detach-311", port: broker.plainPort, protocol: "mqtt311" }));
    const { detach } = instrumentMqtt311Connection(connection, collector, { statisticsIntervalMs: 0 });
    await connection.connect();
    await pollUntil(() => (collector.isConnected ? true : undefined), "connected");
    detach();
    await connection.disconnect();
    expect(collector.isConnected).toBe(false);
    expect(kinds(lines)).toEqual(["connection_attempt", "connection_success:connected", "connection_stopped"]);
  });
});

describe("publish counting (library)", () => {
  it("mqtt5: a QoS 0 publish the SDK refuses offline is rejected, not queued; a QoS 1 one held offline is queued", async () => {
    const proxy = new FaultProxy("127.0.0.1", broker.plainPort);
    await proxy.listen();
    cleanups.push(() => proxy.close());
    proxy.setMode("refuse");
    const { collector } = recorded("pub-5");
    const client = mqtt5Client("pub-5", proxy.port);
    const { publish, detach } = instrumentMqtt5Client(client, collector, { statisticsIntervalMs: 0 });
    cleanups.push(() => detach());
    client.start();
    const refused = await publish({ topicName: "t/pub-5", qos: mqtt5.QoS.AtMostOnce, payload: "x" }).then(() => "sent", (e: unknown) => String(e));
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

describe("MQTT 3.1.1 connect() path (library)", () => {
  it("broker down at start, the same connection retried: each failed connect() is an attempt with its CRT error, then connected", async () => {
    const proxy = new FaultProxy("127.0.0.1", broker.plainPort);
    await proxy.listen();
    cleanups.push(() => proxy.close());
    proxy.setMode("refuse");
    const { collector } = recorded("retry-311");
    const connection = buildMqtt311Connection(testConnection({ client_id: "retry-311", port: proxy.port, protocol: "mqtt311" }));
    const { detach } = instrumentMqtt311Connection(connection, collector, { statisticsIntervalMs: 0 });
    let failed = 0;
    for (;;) {
      if (failed === 3) proxy.setMode("pass");
      const ok = await connection.connect().then(() => true, () => false);
      if (ok) break;
      failed++;
    }
    await pollUntil(() => (collector.isConnected ? true : undefined), "connected");
    expect(collector.connectionFailures).toBe(3);
    expect(collector.connectionAttempts).toBe(4);
    expect([...collector.failuresByErrorLabel.keys()]).toEqual(["AWS_IO_SOCKET_CLOSED"]);
    expect(collector.getRecentConnections(1)[0]).toMatchObject({ event_type: "connected", attempt_number: 4 });
    detach();
    await connection.disconnect();
  });
});

/** Spins on the CPU: nothing else runs on this thread meanwhile (timers, sockets, SDK callbacks). */
function blockEventLoop(until: () => boolean, maxMs: number): void {
  const end = Date.now() + maxMs;
  while (!until() && Date.now() < end) {
    // busy: the SDK's own threads keep running and queue their callbacks
  }
}

/**
 * A Mosquitto on a fixed port of its own that can be killed and started synchronously, so also
 * while the event loop is blocked; each run logs to its own file, which shows who connected.
 */
async function restartableBroker(name: string) {
  const port = await freePort();
  const conf = join(dir, `${name}.conf`);
  const runs: { child: ChildProcess; log: string }[] = [];
  cleanups.push(() => {
    for (const r of runs) r.child.kill("SIGKILL");
  });
  const broker = {
    port,
    start(): string {
      const log = join(dir, `${name}-${runs.length}.log`);
      writeFileSync(conf, ["allow_anonymous true", "persistence false", "user root", "log_type all", `log_dest file ${log}`, `listener ${port} 127.0.0.1`, ""].join("\n"));
      runs.push({ child: spawn(requireTool("mosquitto"), ["-c", conf], { stdio: "ignore" }), log });
      return log;
    },
    kill(): void {
      runs.at(-1)?.child.kill("SIGKILL");
    },
    logged: (log: string, text: string) => existsSync(log) && readFileSync(log, "utf8").includes(text),
  };
  const first = broker.start();
  await pollUntil(() => (broker.logged(first, "Opening ipv4 listen socket") ? true : undefined), `${name} listening`);
  return broker;
}

describe("callbacks delivered late and out of order (issue 15)", () => {
  it("mqtt5: the broker restarts while the event loop is blocked; the final state is the client's (connected)", async () => {
    const broker = await restartableBroker("ooo5");
    const { collector, lines } = recorded("ooo-1");
    const client = mqtt5Client("ooo-1", broker.port);
    const { detach } = instrumentMqtt5Client(client, collector, { statisticsIntervalMs: 0 });
    cleanups.push(() => detach());
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
    await pollUntil(() => (lines.some((l) => l.kind === "connection_drop") && lines.some((l) => l.kind === "connection_success" && l.event_type === "resumed") ? true : undefined), "drop and resume recorded");
    expect(collector.isConnected).toBe(true);
    const lifecycle = kinds(lines).filter((k) => k === "connection_drop" || k.startsWith("connection_success"));
    expect(lifecycle).toEqual(["connection_success:connected", "connection_drop", "connection_success:resumed"]);
  });

  it("mqtt311: dropped, reconnected and dropped again while the event loop is blocked; the final state is the client's (down)", async () => {
    const broker = await restartableBroker("ooo311");
    const { collector, lines } = recorded("ooo-311");
    const connection = buildMqtt311Connection(testConnection({ client_id: "ooo-311", port: broker.port, protocol: "mqtt311", keep_alive_seconds: 30 }));
    const { detach } = instrumentMqtt311Connection(connection, collector, { statisticsIntervalMs: 0 });
    cleanups.push(async () => {
      detach();
      await connection.disconnect();
    });
    await connection.connect();
    await pollUntil(() => (collector.isConnected ? true : undefined), "connected");

    broker.kill();
    blockEventLoop(() => false, 300);
    const second = broker.start();
    // aws-crt reconnects after its 1 s minimum backoff; the new broker logs it...
    blockEventLoop(() => broker.logged(second, " as ooo-311 "), 15_000);
    blockEventLoop(() => false, 300);
    expect(broker.logged(second, " as ooo-311 ")).toBe(true);
    // ...and drops it again. Both interrupts are delivered before the success (their queue is older).
    broker.kill();
    blockEventLoop(() => false, 500);

    const drops = () => lines.filter((l) => l.kind === "connection_drop").length;
    await pollUntil(() => (drops() === 2 && lines.some((l) => l.kind === "connection_success" && l.event_type === "resumed") ? true : undefined), "both drops and the resume recorded");
    expect(collector.isConnected).toBe(false);
    const lifecycle = kinds(lines).filter((k) => k === "connection_drop" || k.startsWith("connection_success"));
    expect(lifecycle).toEqual(["connection_success:connected", "connection_drop", "connection_success:resumed", "connection_drop"]);
    broker.start();
  });
});

void mqtt.QoS.AtLeastOnce;
