import { compareLifecycle, lifecycleKey, type ConnectFailedEvent, type ConnectedEvent, type DisconnectedEvent, type LifecycleEvent } from "./events.js";
import { SessionJoin } from "./session-join.js";

/** How far apart (ms), once corrected for the clocks' offset, a client-side event and AWS's event about it may be and still be paired by time. */
export const DEFAULT_JOIN_WINDOW_MS = 10_000;

/**
 * What the client saw, as the joiner needs it: `id` is unique per event (the caller's sequence),
 * `at` the client's time in ms. A `stop` (the app closed the connection) is joined too, so AWS's
 * CLIENT_INITIATED_DISCONNECT for it is not mistaken for a half-open connection.
 */
export interface ClientSideEvent {
  id: number;
  at: number;
  kind: "drop" | "failure" | "success" | "stop";
}

export interface LifecycleJoin {
  /** Client event id -> AWS's event about it (a drop or stop: disconnected; a failure: connect_failed; a success: connected). */
  readonly byClient: ReadonlyMap<number, LifecycleEvent>;
  /** AWS closed one of our sessions and, a window later, the client has still not seen it end. */
  readonly halfOpen: readonly DisconnectedEvent[];
  /** A connection with our client ID that no success of ours explains: another device (its `ipAddress` is the evidence). */
  readonly foreign: readonly ConnectedEvent[];
  /** connect_failed events for our client ID with no failed attempt of ours: someone else was refused. */
  readonly foreignFailures: readonly ConnectFailedEvent[];
  /** Unmatched events not yet settled: they may join what the client reports next. */
  readonly pending: readonly LifecycleEvent[];
}

/** Distinct events (a message delivered twice counts once), in AWS's order (versionNumber). */
function distinctEvents(events: Iterable<LifecycleEvent>): LifecycleEvent[] {
  const byKey = new Map<string, LifecycleEvent>();
  for (const e of events) if (!byKey.has(lifecycleKey(e))) byKey.set(lifecycleKey(e), e);
  return [...byKey.values()].sort(compareLifecycle);
}

/**
 * Joins what the client saw with what AWS IoT Core published about the same client ID, all at
 * once (the library's entry point; the collector joins incrementally with the same SessionJoin).
 * The client's events are taken in time order, AWS's distinct events in AWS's time order, so the
 * same two sets give the same join whatever order and however often the events came; `now`
 * (client time) decides what is settled. See docs/lifecycle.md, "The join".
 */
export function joinLifecycle(client: readonly ClientSideEvent[], server: readonly LifecycleEvent[], windowMs: number, now: number): LifecycleJoin {
  const joiner = new SessionJoin(windowMs, Math.max(1000, client.length + server.length));
  const nodes = [...client].sort((a, b) => a.at - b.at || a.id - b.id).map((c) => joiner.client(c.id, c.at, c.kind));
  for (const e of distinctEvents(server).sort((a, b) => a.timestamp - b.timestamp || compareLifecycle(a, b))) joiner.server(e);
  joiner.settle(now);
  return {
    byClient: new Map(nodes.flatMap((n) => (n.joined === null ? [] : [[n.id, n.joined] as const]))),
    halfOpen: joiner.halfOpen(now),
    foreign: joiner.foreign.last(),
    foreignFailures: joiner.foreignFailures.last(),
    pending: joiner.pending(now),
  };
}

/** The server's reason for a client event, as the export document's `server_reason` shows it. */
export function serverReasonOf(event: LifecycleEvent | undefined): string | null {
  if (event === undefined) return null;
  if (event.eventType === "disconnected") return event.disconnectReason;
  if (event.eventType === "connect_failed") return event.connectFailureReason;
  return null;
}
