import type { MqttDiagnosticsCollector } from "../../src/collector/collector.js";
import { CollectorRegistry } from "../../src/collector/registry.js";
import type { ConnectionConfig } from "../../src/config/schema.js";
import type { AwsIotEmulator, EmulatorOptions } from "../../src/emulator/emulator.js";
import { lifecycleSubscription } from "../../src/mqtt/lifecycle-observer.js";
import { watchConnection } from "../../src/mqtt/watch-connection.js";
import { startEmulator } from "./emulator.js";
import type { MosquittoSuite } from "./mosquitto-suite.js";
import { pollUntil } from "./poll.js";
import { testConnection } from "./service.js";

const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined };

/** The join window the observed device's registry uses (ms). */
export const OBSERVED_WINDOW_MS = 3000;

export interface ObservedDevice {
  emulator: AwsIotEmulator;
  device: ConnectionConfig;
  /** The device's collector, fed AWS's lifecycle events by the observer. */
  c: MqttDiagnosticsCollector;
  /** Resolves once the join window after AWS's last event about the device has passed (what is left is classified then). */
  settled(): Promise<unknown>;
}

/**
 * A device through the emulator (Mosquitto behind it) and an observer straight on the broker,
 * subscribed to AWS's lifecycle topics, as the service wires them: the device's collector joins
 * AWS's events to its drops. Both are stopped after the test.
 */
export async function observedDevice(
  m: MosquittoSuite,
  device: (port: number) => ConnectionConfig,
  options: Omit<EmulatorOptions, "upstream"> = {},
): Promise<ObservedDevice> {
  const emulator = await startEmulator(m.broker.plainPort, options);
  m.cleanup(() => emulator.close());
  const d = device(emulator.port);
  const registry = new CollectorRegistry({ logger: quiet, lifecycleJoinWindowMs: OBSERVED_WINDOW_MS });
  const c = registry.getOrCreate(d.client_id);
  const observerCollector = registry.getOrCreate("observer");
  const subscription = lifecycleSubscription(new Map([[d.client_id, [c]]]), quiet);
  const observerConfig = testConnection({ client_id: `observer-${d.client_id}`, port: m.broker.plainPort, keep_alive_seconds: 30 });
  const observer = watchConnection(observerConfig, observerCollector, quiet, subscription);
  m.cleanup(() => observer.stop());
  await pollUntil(() => observerCollector.isConnected || undefined, "observer connected", 15_000, 50);
  const watched = watchConnection(d, c, quiet);
  m.cleanup(() => watched.stop());
  await pollUntil(() => (c.lifecycleEventsByType.get("connected") ?? 0) >= 1 || undefined, "AWS's connected event reached the observer", 15_000, 50);
  const settled = () => {
    const last = Math.max(...emulator.events.filter((e) => e.clientId === d.client_id).map((e) => e.timestamp));
    // The window is the event this waits for: the observer classifies what is left once it has passed.
    return pollUntil(
      () => (Date.now() > last + OBSERVED_WINDOW_MS + 500 ? true : undefined),
      "the join window after AWS's last event",
      OBSERVED_WINDOW_MS + 10_000,
      100,
    );
  };
  return { emulator, device: d, c, settled };
}
