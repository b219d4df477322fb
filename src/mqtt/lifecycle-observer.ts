import { lifecycleTopic, parseLifecycleJson } from "../aws-join/events.js";
import { systemClock, type Clock } from "../clock.js";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { LoggerLike } from "../collector/logger.js";
import { LIFECYCLE_EVENTS_PER_SECOND, LifecycleIntake, MAX_LIFECYCLE_EVENT_BYTES } from "./lifecycle-intake.js";

/** What the observer connection subscribes to, and where the messages go. */
export interface LifecycleSubscription {
  readonly topics: readonly string[];
  /** True when the topic is one of AWS's lifecycle topics (other messages are not ours). */
  owns(topic: string): boolean;
  onMessage(topic: string, payload: string): void;
  /** Events dropped at the intake (over the per-client-ID rate, or oversized), by watched connection name. */
  dropped(): ReadonlyMap<string, number>;
  /** Cancels the pending settle timers. */
  close(): void;
}

const PREFIX = "$aws/events/presence/";
/** `$aws/events/presence/{eventType}/{clientId}`: the client ID the topic names. */
const PRESENCE_TOPIC = /^\$aws\/events\/presence\/[^/]+\/(.+)$/;
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
export function lifecycleSubscription(
  targets: ReadonlyMap<string, readonly MqttDiagnosticsCollector[]>,
  logger: LoggerLike,
  clock: Clock = systemClock,
): LifecycleSubscription {
  const ids = [...targets.keys()];
  const intake = new LifecycleIntake(clock);
  /** Whether an event for this client ID goes on to be parsed and joined: bounded per second and size. */
  const admitted = (clientId: string, payload: string): boolean => {
    const ok = payload.length <= MAX_LIFECYCLE_EVENT_BYTES ? intake.admit(clientId) : (intake.refuse(clientId), false);
    const n = intake.dropped(clientId);
    // The first drop, then every tenfold: a flood is told about without flooding the log.
    if (!ok && /^10*$/.test(String(n))) {
      logger.warn(
        { client_id: clientId, dropped: n },
        `lifecycle: dropping events for '${clientId}' beyond ${LIFECYCLE_EVENTS_PER_SECOND}/s or ${MAX_LIFECYCLE_EVENT_BYTES} bytes (${n} so far): a flood, possibly forged`,
      );
    }
    return ok;
  };
  // One filter per client ID keeps the observer's policy as narrow as the fleet it watches.
  const topics = ids.length <= MAX_PER_CLIENT_FILTERS ? ids.map((id) => lifecycleTopic("connected", id).replace("/connected/", "/+/")) : [`${PREFIX}+/+`];
  const timers = new Set<NodeJS.Timeout>();
  let warned = 0;
  return {
    topics,
    owns: (topic) => topic.startsWith(PREFIX),
    onMessage(topic, payload) {
      // Events of client IDs nobody watches are not even parsed; the others pass the intake first.
      const named = PRESENCE_TOPIC.exec(topic)?.[1];
      if (named !== undefined && (!targets.has(named) || !admitted(named, payload))) return;
      const parsed = parseLifecycleJson(payload);
      if (!parsed.ok) {
        // Subscribe/unsubscribe events share the prefix; anything else malformed is worth a few warnings.
        if (!topic.includes("/subscribed/") && !topic.includes("/unsubscribed/") && warned++ < 10)
          logger.warn({ topic, problem: parsed.error }, "lifecycle: ignoring a message that is not an AWS lifecycle event");
        return;
      }
      // The topic names the client ID AWS wrote the event for; one naming another is not AWS's.
      if (named !== undefined && parsed.event.clientId !== named) return;
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
    dropped() {
      const out = new Map<string, number>();
      for (const [id, collectors] of targets) for (const c of collectors) out.set(c.connection, intake.dropped(id));
      return out;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
