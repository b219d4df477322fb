import { createServer, type AddressInfo, type Server } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { LoggerLike } from "../collector/logger.js";
import type { ConnectionConfig } from "../config/schema.js";
import { buildMqtt311Connection } from "../mqtt/build-clients.js";
import { FaultProxy } from "./fault-proxy.js";

export type DemoFault = "cut" | "blackhole" | "refuse" | "takeover";
export const DEMO_FAULTS: readonly DemoFault[] = ["cut", "blackhole", "refuse", "takeover"];

export interface DemoOptions {
  /** Pause between the end of one fault and the start of the next (default 20 s). */
  faultIntervalMs?: number;
  /** The demo client's keep-alive (default 30 s, AWS IoT's minimum). */
  keepAliveSeconds?: number;
  /** How long reconnects are refused (default 8 s). */
  refuseMs?: number;
  /** How many times a second client takes the client ID over (default 4). */
  takeoverRounds?: number;
  logger: LoggerLike;
}

export interface Demo {
  /** The monitored connection: an SDK client through the fault proxy to the in-process broker. */
  connection: ConnectionConfig;
  /** Starts the fault cycle; the collector tells when a blackholed client has given up. */
  startFaults(collector: MqttDiagnosticsCollector): void;
  readonly injected: Readonly<Record<DemoFault, number>>;
  stop(): Promise<void>;
}

const CLIENT_ID = "demo-device";

/**
 * With no configuration the service shows itself working: an in-process MQTT 3.1.1 broker
 * (aedes), a fault-injecting proxy in front of it, and faults on a cycle.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  // aedes is an optional dependency: only the demo loads it, and only when it runs.
  const { Aedes } = await import("aedes");
  const broker = await Aedes.createBroker();
  const brokerServer: Server = createServer(broker.handle);
  await new Promise<void>((resolve) => brokerServer.listen(0, "127.0.0.1", () => resolve()));
  const brokerPort = (brokerServer.address() as AddressInfo).port;
  const proxy = new FaultProxy("127.0.0.1", brokerPort);
  const proxyPort = await proxy.listen();
  const keepAlive = options.keepAliveSeconds ?? 30;
  const connection: ConnectionConfig = {
    name: "demo",
    endpoint: "127.0.0.1",
    port: proxyPort,
    client_id: CLIENT_ID,
    protocol: "mqtt311",
    keep_alive_seconds: keepAlive,
    ping_timeout_ms: Math.min(3000, keepAlive * 500),
    reconnect: { min_delay_ms: 1000, max_delay_ms: 4000, jitter: "full" },
    probe: { topic: "demo/probe", interval_seconds: 5, timeout_ms: 3000 },
  };
  const injected: Record<DemoFault, number> = { cut: 0, blackhole: 0, refuse: 0, takeover: 0 };
  let running = false;
  let loop: Promise<void> | undefined;
  const abort = new AbortController();
  // Stopping must not wait out a pause between faults.
  const sleep = (ms: number) => delay(ms, undefined, { signal: abort.signal, ref: false }).catch(() => undefined);

  const until = async (done: () => boolean, maxMs: number) => {
    const end = Date.now() + maxMs;
    while (running && !done() && Date.now() < end) await sleep(200);
  };

  const inject = async (fault: DemoFault, collector: MqttDiagnosticsCollector) => {
    options.logger.warn({ fault }, `demo: injecting fault '${fault}'`);
    injected[fault]++;
    switch (fault) {
      case "cut":
        proxy.cut();
        break;
      case "blackhole":
        proxy.setMode("blackhole");
        await until(() => !collector.isConnected, (keepAlive + 10) * 1000);
        proxy.setMode("pass");
        break;
      case "refuse":
        proxy.setMode("refuse");
        proxy.cut();
        await sleep(options.refuseMs ?? 8000);
        proxy.setMode("pass");
        break;
      case "takeover": {
        // Second clients with the same client ID, straight to the broker: each connect throws
        // the demo client out and its reconnect throws the intruder out, round after round, as
        // two devices sharing an ID do.
        for (let round = 0; round < (options.takeoverRounds ?? 4) && running; round++) {
          const intruder = buildMqtt311Connection({ ...connection, port: brokerPort, probe: undefined });
          intruder.on("error", () => undefined);
          await intruder.connect().catch(() => false);
          await until(() => !collector.isConnected, 5000);
          await until(() => collector.isConnected, 10_000);
          await intruder.disconnect().catch(() => undefined);
        }
        break;
      }
    }
    await until(() => collector.isConnected, 30_000);
  };

  return {
    connection,
    injected,
    startFaults(collector) {
      running = true;
      loop = (async () => {
        for (let i = 0; running; i++) {
          await sleep(options.faultIntervalMs ?? 20_000);
          if (!running) break;
          await inject(DEMO_FAULTS[i % DEMO_FAULTS.length] as DemoFault, collector);
        }
      })();
    },
    async stop() {
      running = false;
      abort.abort();
      await loop;
      await proxy.close();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => brokerServer.close(() => resolve()));
    },
  };
}
