import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { LoggerLike } from "../collector/logger.js";
import { lifecycleSubscription } from "./lifecycle-observer.js";

/** What a message payload can be (aws-crt's `Payload`, as received: an ArrayBuffer). */
type Payload = string | ArrayBuffer | ArrayBufferView | Record<string, unknown> | undefined;

/** AWS IoT Core's lifecycle events, received by the application's own MQTT client. */
export interface LifecycleObserver {
  /** The topic filters to subscribe the observing client to (QoS 1; again after each clean session). */
  readonly topics: readonly string[];
  /** Hand it each message the client receives: true when the topic is one of AWS's lifecycle topics (the message was ours). */
  onMessage(topic: string, payload: Payload): boolean;
  /** Cancels the pending settle timers (call it when the observing client stops). */
  close(): void;
}

export interface ObserveLifecycleOptions {
  /** Where malformed lifecycle messages are warned about (a few of them); default: nowhere. */
  logger?: LoggerLike;
}

function text(payload: Payload): string {
  if (typeof payload === "string") return payload;
  if (payload instanceof ArrayBuffer) return Buffer.from(payload).toString("utf8");
  if (ArrayBuffer.isView(payload)) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8");
  return payload === undefined ? "" : JSON.stringify(payload);
}

const quiet: LoggerLike = { warn: () => undefined, error: () => undefined };

/**
 * Joins AWS's side to the collectors: `observeLifecycle({ [clientId]: collector })` gives the
 * topics to subscribe a client to and a message handler. A client cannot receive the event about
 * its own disconnection, so subscribe another connection (an observer) to a device's events.
 * Each event is recorded once (AWS may deliver twice, late or out of order), joined with the
 * collector's drops (`server_reason`) and, a join window later, classified (foreign sessions).
 */
export function observeLifecycle(
  collectors:
    | Readonly<Record<string, MqttDiagnosticsCollector | readonly MqttDiagnosticsCollector[]>>
    | ReadonlyMap<string, MqttDiagnosticsCollector | readonly MqttDiagnosticsCollector[]>,
  options: ObserveLifecycleOptions = {},
): LifecycleObserver {
  const entries = collectors instanceof Map ? [...collectors] : Object.entries(collectors);
  const targets = new Map(entries.map(([id, c]) => [id, Array.isArray(c) ? [...(c as readonly MqttDiagnosticsCollector[])] : [c as MqttDiagnosticsCollector]]));
  const subscription = lifecycleSubscription(targets, options.logger ?? quiet);
  return {
    topics: subscription.topics,
    onMessage(topic, payload) {
      if (!subscription.owns(topic)) return false;
      subscription.onMessage(topic, text(payload));
      return true;
    },
    close: () => subscription.close(),
  };
}
