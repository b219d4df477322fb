import type { Clock } from "../clock.js";
import type { LoggerLike } from "../collector/logger.js";
import type { LifecycleSubscription } from "../mqtt/lifecycle-observer.js";
import { parseFleetPayload, type FleetSink } from "./records.js";

/** Every device's connect, disconnect and refused-connect events (AWS IoT Core publishes them). */
export const PRESENCE_FILTER = "$aws/events/presence/+/+";
const PRESENCE_PREFIX = "$aws/events/presence/";
/** Unreadable messages logged in full; the rest are counted. */
const MAX_WARNINGS = 10;

/** Whether a topic matches an MQTT filter (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length || (f[i] !== "+" && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

export interface FleetSubscription extends LifecycleSubscription {
  /** Messages on the fleet's topics that were neither a lifecycle event nor evidence. */
  readonly rejected: number;
}

/**
 * The fleet's MQTT source: the subscriber connection (watched like any other) subscribes to
 * AWS's presence topics and the evidence topic, and hands each message to the fleet state.
 * AWS delivers at most 100 messages/s to one connection: beyond that, use Kinesis.
 */
export function fleetSubscription(evidenceFilter: string, sink: FleetSink, clock: Clock, logger: LoggerLike): FleetSubscription {
  let rejected = 0;
  return {
    topics: [PRESENCE_FILTER, evidenceFilter],
    owns: (topic) => topic.startsWith(PRESENCE_PREFIX) || topicMatches(evidenceFilter, topic),
    onMessage(topic, payload) {
      const record = parseFleetPayload(payload, clock.now());
      if ("error" in record) {
        if (record.ignore === true) return;
        if (rejected++ < MAX_WARNINGS)
          logger.warn({ topic, problem: record.error }, "fleet: ignoring a message that is neither an AWS lifecycle event nor evidence");
        return;
      }
      sink.apply(record);
    },
    close() {},
    // The fleet bounds nothing per device at the intake (a device's state is bounded instead).
    dropped: () => new Map<string, number>(),
    get rejected() {
      return rejected;
    },
  };
}
