import {
  compareLifecycle,
  lifecycleKey,
  type ConnectFailedEvent,
  type ConnectedEvent,
  type DisconnectedEvent,
  type LifecycleEvent,
} from "./aws-lifecycle.js";

/** How far apart (ms) a client-side event and AWS's event about it may be and still be joined. */
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
  /** AWS closed one of our sessions and, a window later, the client has still not seen a drop. */
  readonly halfOpen: readonly DisconnectedEvent[];
  /** A connection with our client ID that is not ours: another device (its `ipAddress` is the evidence). */
  readonly foreign: readonly ConnectedEvent[];
  /** connect_failed events for our client ID with no failed attempt of ours: someone else was refused. */
  readonly foreignFailures: readonly ConnectFailedEvent[];
  /** Unmatched events still within the window: they may join what the client reports next. */
  readonly pending: readonly LifecycleEvent[];
}

interface Timed {
  at: number;
  order: string;
}

/**
 * Pairs each `a` with at most one `b` and each `b` with at most one `a`, nearest in time first,
 * within the window. The result depends only on the two sets (ties broken by content), never on
 * the order things arrived in: that is what makes the join immune to late, duplicated or
 * reordered events.
 */
function pairNearest<A extends Timed, B extends Timed>(as: readonly A[], bs: readonly B[], windowMs: number): Map<A, B> {
  const sorted = [...bs].sort((x, y) => x.at - y.at || (x.order < y.order ? -1 : x.order > y.order ? 1 : 0));
  const pairs: { a: A; b: B; gap: number }[] = [];
  for (const a of as) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as B).at < a.at - windowMs) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length && (sorted[i] as B).at <= a.at + windowMs; i++) {
      const b = sorted[i] as B;
      pairs.push({ a, b, gap: Math.abs(b.at - a.at) });
    }
  }
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  pairs.sort((p, q) => p.gap - q.gap || p.a.at - q.a.at || cmp(p.a.order, q.a.order) || p.b.at - q.b.at || cmp(p.b.order, q.b.order));
  const out = new Map<A, B>();
  const used = new Set<B>();
  for (const { a, b } of pairs) {
    if (out.has(a) || used.has(b)) continue;
    out.set(a, b);
    used.add(b);
  }
  return out;
}

type ClientT = ClientSideEvent & Timed;
type ServerT<E extends LifecycleEvent> = { event: E } & Timed;

const wrapClient = (events: readonly ClientSideEvent[], kinds: readonly ClientSideEvent["kind"][]): ClientT[] =>
  events.filter((e) => kinds.includes(e.kind)).map((e) => ({ ...e, order: String(e.id).padStart(16, "0") }));

function wrapServer<E extends LifecycleEvent>(events: readonly LifecycleEvent[], type: E["eventType"]): ServerT<E>[] {
  return events.filter((e): e is E => e.eventType === type).map((event) => ({ event, at: event.timestamp, order: lifecycleKey(event) }));
}

/** Distinct events (a message delivered twice counts once), in AWS's order (versionNumber). */
export function distinctEvents(events: Iterable<LifecycleEvent>): LifecycleEvent[] {
  const byKey = new Map<string, LifecycleEvent>();
  for (const e of events) if (!byKey.has(lifecycleKey(e))) byKey.set(lifecycleKey(e), e);
  return [...byKey.values()].sort(compareLifecycle);
}

/**
 * Joins what the client saw with what AWS IoT Core published about the same client ID. Pure:
 * the same two sets give the same join whatever order and however often the events came; `now`
 * (injected) only decides which unmatched events are settled and which may still be joined.
 *
 * 1. `connected` events pair with the client's successes; a settled unmatched one is a foreign
 *    session (another device with our client ID), and its session's events are not ours.
 * 2. `disconnected` events of sessions not foreign pair with drops and stops; a settled
 *    unmatched one is a half-open connection (AWS closed it; the client has not noticed).
 * 3. `connect_failed` events pair with failed attempts.
 */
export function joinLifecycle(client: readonly ClientSideEvent[], server: readonly LifecycleEvent[], windowMs: number, now: number): LifecycleJoin {
  const events = distinctEvents(server);
  const byClient = new Map<number, LifecycleEvent>();
  const pending: LifecycleEvent[] = [];
  // Joins one event type with the client's events of `kinds`; returns the settled unmatched ones.
  // Candidates known to be about our sessions are joined first; the rest (`first` false) then
  // pair with what is left, so a stranger's event near our drop never takes its place.
  const join = <E extends LifecycleEvent>(kinds: ClientSideEvent["kind"][], candidates: ServerT<E>[], first: (e: E) => boolean = () => true): E[] => {
    const joined = new Set<E>();
    const preferred = candidates.filter((s) => first(s.event));
    for (const group of [preferred, candidates.filter((s) => !first(s.event))]) {
      const open = wrapClient(client, kinds).filter((c) => !byClient.has(c.id));
      for (const [c, s] of pairNearest(open, group, windowMs)) {
        byClient.set(c.id, s.event);
        joined.add(s.event);
      }
    }
    const unmatched: E[] = [];
    for (const { event } of candidates) {
      if (joined.has(event)) continue;
      if (now - event.timestamp > windowMs) unmatched.push(event);
      else pending.push(event);
    }
    return unmatched;
  };
  const connected = wrapServer<ConnectedEvent>(events, "connected");
  const foreign = join(["success"], connected);
  // A connected event no success of ours explains (settled or not) is not our session.
  const ours = new Set<LifecycleEvent>(byClient.values());
  const oursSessions = new Set([...ours].map((e) => e.sessionIdentifier));
  const notOurs = new Set(connected.filter(({ event }) => !ours.has(event)).map(({ event }) => event.sessionIdentifier));
  const halfOpen = join(
    ["drop", "stop"],
    wrapServer<DisconnectedEvent>(events, "disconnected").filter((s) => !notOurs.has(s.event.sessionIdentifier)),
    (e) => oursSessions.has(e.sessionIdentifier),
  );
  const foreignFailures = join(["failure"], wrapServer<ConnectFailedEvent>(events, "connect_failed"));
  return { byClient, halfOpen, foreign, foreignFailures, pending };
}

/** The server's reason for a client event, as the export document's `server_reason` shows it. */
export function serverReasonOf(event: LifecycleEvent | undefined): string | null {
  if (event === undefined) return null;
  if (event.eventType === "disconnected") return event.disconnectReason;
  if (event.eventType === "connect_failed") return event.connectFailureReason;
  return null;
}

/** The foreign session nearest in time to `at` (the other device that took our client ID over). */
export function foreignSessionNear(join: LifecycleJoin, at: number, windowMs: number): ConnectedEvent | null {
  let best: ConnectedEvent | null = null;
  for (const e of join.foreign) {
    const gap = Math.abs(e.timestamp - at);
    if (gap <= windowMs && (best === null || gap < Math.abs(best.timestamp - at))) best = e;
  }
  return best;
}
