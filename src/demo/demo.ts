import { createServer, type AddressInfo, type Server } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { LoggerLike } from "../collector/logger.js";
import type { ConnectionConfig } from "../config/schema.js";
import type { LifecycleSink } from "../emulator/broker-publisher.js";
import { AwsIotEmulator } from "../emulator/emulator.js";
import { DEMO_SCENARIOS, playScenario, type DemoScenario } from "./scenarios.js";

export { DEMO_SCENARIOS, SCENARIO_CAUSE, type DemoScenario } from "./scenarios.js";

export interface DemoOptions {
  /** Play only this cause, again and again (default: every scenario in turn). */
  scenario?: DemoScenario;
  /** Pause between the end of one scenario and the start of the next (default 10 s). */
  scenarioIntervalMs?: number;
  /** The demo client's keep-alive (default 30 s, AWS IoT's minimum). */
  keepAliveSeconds?: number;
  /** How long outages and refusals last (default 8 s). */
  outageMs?: number;
  /** AWS's durations are divided by this (default 1): a test shortens AWS's 30 s keep-alive minimum. */
  timeScale?: number;
  logger: LoggerLike;
}

export interface Demo {
  /** The monitored connection: an MQTT 5 SDK client through the AWS rules emulator to the in-process broker. */
  connection: ConnectionConfig;
  /**
   * The lifecycle observer (`lifecycle: { observer, trust: broker_acl }`): an MQTT 3.1.1 client
   * straight to the broker, where the emulator publishes AWS's lifecycle events (and no client
   * may), so the demo joins them to its drops.
   */
  observer: ConnectionConfig;
  /** Both, as the configuration's `connections` (the monitored one first). */
  readonly connections: ConnectionConfig[];
  readonly emulator: AwsIotEmulator;
  /** Starts the scenario cycle; the collector tells when the client is back. */
  startFaults(collector: MqttDiagnosticsCollector): void;
  /** How many times each scenario has been played to its end. */
  readonly played: Readonly<Record<DemoScenario, number>>;
  stop(): Promise<void>;
}

const CLIENT_ID = "demo-device";
export const DEMO_OBSERVER = "demo-observer";

/**
 * With no configuration the service shows itself working: an in-process MQTT 3.1.1 broker
 * (aedes), the AWS IoT Core rules emulator in front of it (which terminates MQTT 5 for its
 * clients, since aedes speaks 3.1.1 only), and an MQTT 5 SDK client through it that AWS's
 * rules trip one after another, so failed attempts and server DISCONNECTs show as they would.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  // aedes is an optional dependency: only the demo loads it, and only when it runs.
  const { Aedes } = await import("aedes");
  // The ACL that makes the demo's lifecycle events evidence (lifecycle.trust: broker_acl): as on
  // AWS IoT Core, no client may publish on $aws/; the emulator publishes AWS's events from inside.
  const broker = await Aedes.createBroker({
    authorizePublish: (client, packet, callback) =>
      callback(client !== null && packet.topic.startsWith("$aws/") ? new Error("$aws/ topics are reserved") : null),
  });
  const brokerServer: Server = createServer(broker.handle);
  await new Promise<void>((resolve) => brokerServer.listen(0, "127.0.0.1", () => resolve()));
  const brokerPort = (brokerServer.address() as AddressInfo).port;
  const sink: LifecycleSink = {
    publish: (topic, payload) => broker.publish({ cmd: "publish", topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false }, () => undefined),
    close: () => Promise.resolve(),
  };
  const emulator = new AwsIotEmulator({ upstream: { host: "127.0.0.1", port: brokerPort, mqtt5: false }, timeScale: options.timeScale ?? 1, sink });
  const port = await emulator.listen();
  const keepAlive = options.keepAliveSeconds ?? 30;
  const connection: ConnectionConfig = {
    name: "demo",
    endpoint: "127.0.0.1",
    transport: "mtls",
    port,
    client_id: CLIENT_ID,
    protocol: "mqtt5",
    keep_alive_seconds: keepAlive,
    ping_timeout_ms: Math.min(3000, keepAlive * 500),
    reconnect: { min_delay_ms: 1000, max_delay_ms: 4000, jitter: "full" },
    // Probes more often than the keep-alive, so the client never idles into a ping of its own.
    probe: { topic: "demo/probe", interval_seconds: Math.max(1, Math.min(5, Math.floor(keepAlive / 2))), timeout_ms: 3000 },
  };
  // Not through the emulator: AWS's rules and the scenarios' faults are for the watched device.
  const observer: ConnectionConfig = {
    name: DEMO_OBSERVER,
    endpoint: "127.0.0.1",
    transport: "mtls",
    port: brokerPort,
    client_id: DEMO_OBSERVER,
    protocol: "mqtt311",
    keep_alive_seconds: 60,
    ping_timeout_ms: 5000,
    reconnect: { min_delay_ms: 1000, max_delay_ms: 4000, jitter: "full" },
  };
  const played = Object.fromEntries(DEMO_SCENARIOS.map((s) => [s, 0])) as Record<DemoScenario, number>;
  const outageMs = options.outageMs ?? 8000;
  let running = false;
  let loop: Promise<void> | undefined;
  const abort = new AbortController();
  // Stopping must not wait out a pause between scenarios.
  const sleep = (ms: number) => delay(ms, undefined, { signal: abort.signal, ref: false }).catch(() => undefined);
  const until = async (done: () => boolean, maxMs: number) => {
    const end = Date.now() + maxMs;
    while (running && !done() && Date.now() < end) await sleep(100);
  };

  return {
    connection,
    observer,
    connections: [connection, observer],
    emulator,
    played,
    startFaults(collector) {
      running = true;
      const cycle = options.scenario === undefined ? DEMO_SCENARIOS : [options.scenario];
      loop = (async () => {
        for (let i = 0; running; i++) {
          await sleep(options.scenarioIntervalMs ?? 10_000);
          if (!running) break;
          const scenario = cycle[i % cycle.length] as DemoScenario;
          options.logger.warn({ scenario }, `demo: playing '${scenario}'`);
          await playScenario(scenario, { emulator, connection, collector, outageMs, until, sleep });
          if (running) played[scenario]++;
        }
      })();
    },
    async stop() {
      running = false;
      abort.abort();
      await loop;
      await emulator.close();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => brokerServer.close(() => resolve()));
    },
  };
}
