import type { MqttDiagnosticsCollector } from "../collector/collector.js";

/**
 * Wraps a client's publish so every call is counted as published (connected) or queued
 * (offline: the client holds it until it reconnects), without changing call sites.
 */
export function countingPublish<A extends unknown[], R>(
  publish: (...args: A) => R,
  collector: MqttDiagnosticsCollector,
): (...args: A) => R {
  return (...args: A) => {
    collector.recordPublish(!collector.isConnected);
    return publish(...args);
  };
}
