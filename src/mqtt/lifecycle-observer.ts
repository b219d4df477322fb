import { lifecycleTopic, parseLifecycleJson } from "../collector/aws-lifecycle.js";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { LoggerLike } from "../collector/logger.js";

/** What the observer connection subscribes to, and where the messages go. */
export interface LifecycleSubscription {
  readonly topics: readonly string[];
  /** True when the topic is one of AWS's lifecycle topics (other messages are not ours). */
  owns(topic: string): boolean;
  onMessage(topic: string, payload: string): void;
  /** Cancels the pending settle timers. */
  close(): void;
}

const PREFIX = "$aws/events/presence/";
/** AWS allows 50 subscriptions per connection: above this many client IDs, one wildcard filter. */
const MAX_PER_CLIENT_FILTERS = 40;
/** Settle a little after the window, so an event at its edge is classified. */
const SETTLE_SLACK_MS = 100;

/**
 * The observer's side of issue 13: a configured connection subscribes to AWS IoT Core's lifecycle
 * topics of every other watched client ID (a client cannot receive the event about its own
 * disconnection) and hands each event to the collectors of that client ID. A collector joins it
 * with its drops; a window later it classifies what is left (half-open, foreign session).
 */
export function lifecycleSubscription(targets: ReadonlyMap<string, readonly MqttDiagnosticsCollector[]>, logger: LoggerLike): LifecycleSubscription {
  const ids = [...targets.keys()];
  // One filter per client ID keeps the observer's policy as narrow as the fleet it watches.
  const topics = ids.length <= MAX_PER_CLIENT_FILTERS ? ids.map((id) => lifecycleTopic("connected", id).replace("/connected/", "/+/")) : [`${PREFIX}+/+`];
  const timers = new Set<NodeJS.Timeout>();
  let warned = 0;
  return {
    topics,
    owns: (topic) => topic.startsWith(PREFIX),
    onMessage(topic, payload) {
      const parsed = parseLifecycleJson(payload);
      if (!parsed.ok) {
        // Subscribe/unsubscribe events share the prefix; anything else malformed is worth a few warnings.
        if (!topic.includes("/subscribed/") && !topic.includes("/unsubscribed/") && warned++ < 10) logger.warn({ topic, problem: parsed.error }, "lifecycle: ignoring a message that is not an AWS lifecycle event");
        return;
      }
      for (const c of targets.get(parsed.event.clientId) ?? []) {
        if (!c.recordLifecycleEvent(parsed.event)) continue;
        const timer = setTimeout(() => {
          timers.delete(timer);
          c.settleLifecycle();
        }, c.lifecycleJoinWindowMs + SETTLE_SLACK_MS);
        timer.unref();
        timers.add(timer);
      }
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
