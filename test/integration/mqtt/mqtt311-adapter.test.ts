import { describe, expect, it } from "vitest";
import { buildMqtt311Connection } from "../../../src/mqtt/build-clients.js";
import { instrumentMqtt311Connection } from "../../../src/mqtt/mqtt311-adapter.js";
import { FaultProxy } from "../../helpers/fault-proxy.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { pollUntil } from "../../helpers/poll.js";
import { kinds, recorded } from "../../helpers/recorded.js";
import { blockEventLoop, restartableBroker } from "../../helpers/restartable-broker.js";
import { testConnection } from "../../helpers/service.js";

const m = mosquittoSuite("adapter311");

describe("stop semantics (library)", () => {
  it("mqtt311: detach() then disconnect() records a stop", async () => {
    const { collector, lines } = recorded("detach-311");
    const connection = buildMqtt311Connection(testConnection({ client_id: "detach-311", port: m.broker.plainPort, protocol: "mqtt311" }));
    const { detach } = instrumentMqtt311Connection(connection, collector, { statisticsIntervalMs: 0 });
    await connection.connect();
    await pollUntil(() => (collector.isConnected ? true : undefined), "connected");
    detach();
    await connection.disconnect();
    expect(collector.isConnected).toBe(false);
    expect(kinds(lines)).toEqual(["connection_attempt", "connection_success:connected", "connection_stopped"]);
  });
});

describe("MQTT 3.1.1 connect() path (library)", () => {
  it("broker down at start, the same connection retried: each failed connect() is an attempt with its CRT error, then connected", async () => {
    const proxy = new FaultProxy("127.0.0.1", m.broker.plainPort);
    await proxy.listen();
    m.cleanup(() => proxy.close());
    proxy.setMode("refuse");
    const { collector } = recorded("retry-311");
    const connection = buildMqtt311Connection(testConnection({ client_id: "retry-311", port: proxy.port, protocol: "mqtt311" }));
    const { detach } = instrumentMqtt311Connection(connection, collector, { statisticsIntervalMs: 0 });
    let failed = 0;
    for (;;) {
      if (failed === 3) proxy.setMode("pass");
      const ok = await connection.connect().then(
        () => true,
        () => false,
      );
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

describe("callbacks delivered late and out of order (issue 15)", () => {
  it("mqtt311: dropped, reconnected and dropped again while the event loop is blocked; the final state is the client's (down)", async () => {
    const broker = await restartableBroker(m.dir, "ooo311");
    m.cleanup(() => broker.killAll());
    const { collector, lines } = recorded("ooo-311");
    const connection = buildMqtt311Connection(testConnection({ client_id: "ooo-311", port: broker.port, protocol: "mqtt311", keep_alive_seconds: 30 }));
    const { detach } = instrumentMqtt311Connection(connection, collector, { statisticsIntervalMs: 0 });
    m.cleanup(async () => {
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
    await pollUntil(
      () => (drops() === 2 && lines.some((l) => l.kind === "connection_success" && l.event_type === "resumed") ? true : undefined),
      "both drops and the resume recorded",
    );
    expect(collector.isConnected).toBe(false);
    const lifecycle = kinds(lines).filter((k) => k === "connection_drop" || k.startsWith("connection_success"));
    expect(lifecycle).toEqual(["connection_success:connected", "connection_drop", "connection_success:resumed", "connection_drop"]);
    broker.start();
  });
});
