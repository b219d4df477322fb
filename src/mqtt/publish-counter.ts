import type { MqttDiagnosticsCollector } from "../collector/collector.js";

// The SDK's refusal of an operation its offline queue policy does not hold (MQTT 5's default
// policy fails QoS 0 publishes while disconnected), by CRT error name or in a message string.
const OFFLINE_REFUSAL = /OFFLINE_QUEUE_POLICY/;

function refusedOffline(err: unknown): boolean {
  if (typeof err === "string") return OFFLINE_REFUSAL.test(err);
  if (typeof err !== "object" || err === null) return false;
  const { error_name: name, message } = err as { error_name?: unknown; message?: unknown };
  return (typeof name === "string" && OFFLINE_REFUSAL.test(name)) || (typeof message === "string" && OFFLINE_REFUSAL.test(message));
}

/**
 * Wraps a client's publish so every call is counted by what the SDK did with it, without changing
 * call sites: connected at the call, published; offline, counted when the SDK settles it: queued
 * (held for the next session), or rejected when the SDK refused it by its offline queue policy
 * (nothing was held). The caller's promise is returned untouched.
 */
export function countingPublish<A extends unknown[], R>(publish: (...args: A) => Promise<R>, collector: MqttDiagnosticsCollector): (...args: A) => Promise<R> {
  return (...args: A) => {
    if (collector.isConnected) {
      collector.recordPublish(false);
      return publish(...args);
    }
    const result = publish(...args);
    result.then(
      () => collector.recordPublish(true),
      (err: unknown) => {
        if (refusedOffline(err)) collector.recordPublishRejected();
        else collector.recordPublish(true);
      },
    );
    return result;
  };
}
