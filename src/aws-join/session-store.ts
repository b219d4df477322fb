import type { ConnectFailedEvent, ConnectedEvent, DisconnectedEvent, LifecycleEvent } from "./events.js";
import { RingBuffer } from "../ring-buffer.js";
import { ClockOffset } from "./clock-offset.js";
import type { AwsSession, ClientNode, ClientSession, JoinedBy } from "./nodes.js";
import { TimeIndex } from "./time-index.js";

/** Before any connect is paired, AWS's clock and the client's may be this far apart (devices without an RTC, before NTP). */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;

const at = (n: { at: number }) => n.at;
const ts = (e: { timestamp: number }) => e.timestamp;

/**
 * What the lifecycle join holds (SessionJoin applies events to it): the client's sessions, AWS's
 * sessions by identifier, the unpaired events of each side indexed by time, the clock offset,
 * and the settled outcomes; and the reads, each O(log n) or bounded by what it returns.
 */
export abstract class SessionStore {
  readonly offset = new ClockOffset();
  /** Before any pair: AWS's timestamp minus the client's time of arrival (live and journaled events; delivery takes ms). */
  protected readonly arrival = new ClockOffset();
  protected current: ClientSession | null = null;
  protected misses = 0;
  protected readonly sessions = new Map<string, AwsSession>();
  /** The sessions in the order they were filed: the oldest leaves when there are `2 * capacity`. */
  private readonly sessionOrder: RingBuffer<AwsSession>;
  protected readonly successes: TimeIndex<ClientNode>;
  protected readonly unpairedConnected: TimeIndex<ConnectedEvent>;
  protected readonly connected: TimeIndex<ConnectedEvent>;
  protected readonly openEnds: TimeIndex<ClientNode>;
  protected readonly looseDisconnects: TimeIndex<DisconnectedEvent>;
  protected readonly openFailures: TimeIndex<ClientNode>;
  protected readonly looseFailed: TimeIndex<ConnectFailedEvent>;
  protected readonly halfOpenSet = new Set<AwsSession>();
  /** Settled `connected` events no success of ours explains: another device with our client ID. */
  readonly foreign: RingBuffer<ConnectedEvent>;
  /** Settled `connect_failed` events with no failed attempt of ours. */
  readonly foreignFailures: RingBuffer<ConnectFailedEvent>;
  /** Settled `disconnected` events that are neither ours nor another device's known session. */
  readonly unattributed: RingBuffer<DisconnectedEvent>;

  constructor(
    readonly windowMs: number,
    protected readonly capacity: number,
  ) {
    this.successes = new TimeIndex<ClientNode>(at, capacity);
    this.unpairedConnected = new TimeIndex<ConnectedEvent>(ts, capacity);
    this.connected = new TimeIndex<ConnectedEvent>(ts, capacity);
    this.openEnds = new TimeIndex<ClientNode>(at, capacity);
    this.looseDisconnects = new TimeIndex<DisconnectedEvent>(ts, capacity);
    this.openFailures = new TimeIndex<ClientNode>(at, capacity);
    this.looseFailed = new TimeIndex<ConnectFailedEvent>(ts, capacity);
    this.foreign = new RingBuffer(capacity);
    this.foreignFailures = new RingBuffer(capacity);
    this.unattributed = new RingBuffer(capacity);
    this.sessionOrder = new RingBuffer(2 * capacity);
  }

  /** The client's clock corrected to AWS's: AWS's time = client time + this (0 before any pair). */
  get shift(): number {
    return this.estimate ?? 0;
  }

  /** The offset from paired connects, else from arrival times, else null. */
  protected get estimate(): number | null {
    return this.offset.ms ?? this.arrival.ms;
  }

  /** AWS closed these sessions of ours a window ago (or more) and the client has not seen them end. */
  halfOpen(now: number): DisconnectedEvent[] {
    const out: DisconnectedEvent[] = [];
    for (const aws of this.halfOpenSet) {
      const d = aws.disconnected;
      if (d !== null && aws.client?.end === null && d.timestamp - this.shift + this.windowMs < now) out.push(d);
    }
    return out.sort((a, b) => a.timestamp - b.timestamp);
  }

  /** Events not yet paired nor settled (and closes not yet half-open): they may still pair with what comes next. */
  pending(now: number): LifecycleEvent[] {
    const closing = [...this.halfOpenSet].flatMap((a) =>
      a.disconnected !== null && a.client?.end === null && a.disconnected.timestamp - this.shift + this.windowMs >= now ? [a.disconnected] : [],
    );
    return [...this.unpairedConnected.values(), ...this.looseDisconnects.values(), ...this.looseFailed.values(), ...closing];
  }

  /** The `connected` event nearest AWS time `awsAt` (within `maxGap`) of a session other than `sid`. */
  connectNear(awsAt: number, maxGap: number, sid: string): AwsSession | undefined {
    const c = this.connected.nearest(awsAt, maxGap, (e) => e.sessionIdentifier !== sid);
    return c === undefined ? undefined : this.sessions.get(c.sessionIdentifier);
  }

  /** A success of ours within `maxGap` of client time `when`. */
  successNear(when: number, maxGap: number): ClientNode | undefined {
    return this.successes.nearest(when, maxGap);
  }

  protected sessionOf(sid: string): AwsSession {
    let s = this.sessions.get(sid);
    if (s === undefined) {
      s = { sid, connected: null, disconnected: null, client: null, foreign: false };
      this.sessions.set(sid, s);
      // A ring, not the map's first key: a map's iterator walks past every deleted entry not yet compacted.
      const gone = this.sessionOrder.push(s);
      if (gone !== undefined) {
        this.sessions.delete(gone.sid);
        this.halfOpenSet.delete(gone);
      }
    }
    return s;
  }

  protected join(node: ClientNode, e: LifecycleEvent, by: JoinedBy): void {
    node.joined = e;
    node.by = by;
  }
}
