import type { ConnectedEvent, DisconnectedEvent, LifecycleEvent } from "./events.js";
import { bootstrapOffset } from "./clock-offset.js";
import { clientNode, type AwsSession, type ClientKind, type ClientNode, type ClientSession } from "./nodes.js";
import { MAX_CLOCK_SKEW_MS, SessionStore } from "./session-store.js";
import type { TimeIndex } from "./time-index.js";

export { MAX_CLOCK_SKEW_MS } from "./session-store.js";
/** Paired connects agree on the offset within this much (the client's CONNACK and AWS's event are ms apart). */
const OFFSET_TOLERANCE_MS = 2_000;
/** A paired connect further than this from the estimate pairs, but does not move the estimate. */
const SAMPLE_TOLERANCE_MS = 500;
/** This many successes in a row that pair with nothing while AWS reports connects: the clock jumped; estimate again. */
const MISSES_TO_RESET = 3;
/** How many unpaired events of each side the bootstrap looks at. */
const BOOTSTRAP_SAMPLE = 64;

const at = (n: { at: number }) => n.at;
const ts = (e: { timestamp: number }) => e.timestamp;

/**
 * The lifecycle join, applied as events arrive (never re-run): AWS's `connected` event pairs
 * with the client's success for that connect (nearest in time once corrected for the clocks'
 * offset); from then on the `disconnected` event with that `sessionIdentifier` is that session's
 * end, however late it comes. Time proximity (within the window) only pairs what identity
 * cannot: a disconnect whose connect was never seen, failed attempts. Each event costs
 * O(log n) plus the few neighbours it looks at; memory is bounded by `capacity`.
 */
export class SessionJoin extends SessionStore {
  /** A client-side event, in the client's time. */
  client(id: number, when: number, kind: ClientKind): ClientNode {
    const node = clientNode(id, when, kind);
    if (kind === "success") {
      const session: ClientSession = { success: node, end: null, aws: null };
      node.session = session;
      this.current = session;
      this.successes.insert(node);
      this.pairSuccess(node);
    } else if (kind === "failure") {
      const f = this.looseFailed.nearest(when + this.shift, this.windowMs);
      if (f !== undefined) {
        this.looseFailed.remove(f);
        this.join(node, f, "time");
      } else this.openFailures.insert(node);
    } else this.end(node);
    return node;
  }

  /** One of AWS's events (distinct: the caller drops duplicates); `arrivedAt`: the client's time it was received, when known. */
  server(e: LifecycleEvent, arrivedAt?: number): void {
    if (arrivedAt !== undefined) this.arrival.add(e.timestamp - arrivedAt);
    if (e.eventType === "connect_failed") {
      const f = this.openFailures.nearest(e.timestamp - this.shift, this.windowMs);
      if (f !== undefined) {
        this.openFailures.remove(f);
        this.join(f, e, "time");
      } else this.looseFailed.insert(e);
      return;
    }
    const aws = this.sessionOf(e.sessionIdentifier);
    if (e.eventType === "connected") {
      aws.connected = e;
      this.connected.insert(e);
      if (!this.pairConnected(e)) this.unpairedConnected.insert(e);
      return;
    }
    aws.disconnected = e;
    if (aws.client !== null) this.sessionClosed(aws);
    else if (aws.connected === null) this.looseDisconnect(e);
    // Else its connect is pending or another device's: it pairs (or not) with its connect.
  }

  /** Classifies what has waited a window (corrected) by client time `now`; returns the new foreign sessions. */
  settle(now: number): ConnectedEvent[] {
    // Called after every client event: with nothing of AWS's waiting, nothing to classify.
    if (this.unpairedConnected.size === 0 && this.looseDisconnects.size === 0 && this.looseFailed.size === 0) return [];
    const cutoff = now + this.shift - (this.estimate === null ? MAX_CLOCK_SKEW_MS : this.windowMs);
    const newlyForeign = this.unpairedConnected.takeUntil(cutoff);
    for (const c of newlyForeign) {
      this.sessionOf(c.sessionIdentifier).foreign = true;
      this.foreign.push(c);
    }
    for (const e of this.looseDisconnects.takeUntil(cutoff)) {
      const cur = this.current;
      // AWS closed a session we cannot name while ours, whose connect AWS's events never showed, was open: ours.
      if (cur !== null && cur.aws === null && cur.end === null && cur.success.at <= e.timestamp - this.shift) {
        const aws = this.sessionOf(e.sessionIdentifier);
        aws.client = cur;
        cur.aws = aws;
        this.halfOpenSet.add(aws);
      } else this.unattributed.push(e);
    }
    for (const f of this.looseFailed.takeUntil(cutoff)) this.foreignFailures.push(f);
    return newlyForeign;
  }

  // A drop or stop: ends the open session; joins AWS's end of it when that is known.
  private end(node: ClientNode): void {
    const session = this.current;
    this.current = null;
    if (session !== null) {
      node.session = session;
      session.end = node;
      const aws = session.aws;
      if (aws !== null) {
        this.halfOpenSet.delete(aws);
        if (aws.disconnected !== null) this.join(node, aws.disconnected, "session");
        return; // identity decides: AWS's event for this session joins it, however late
      }
    }
    const e = this.looseDisconnects.nearest(node.at + this.shift, this.windowMs);
    if (e !== undefined) {
      this.looseDisconnects.remove(e);
      this.join(node, e, "time");
    } else this.openEnds.insert(node);
  }

  private looseDisconnect(e: DisconnectedEvent): void {
    const end = this.openEnds.nearest(e.timestamp - this.shift, this.windowMs);
    if (end !== undefined) {
      this.openEnds.remove(end);
      this.join(end, e, "time");
    } else this.looseDisconnects.insert(e);
  }

  // AWS closed a session paired with ours: its end, or half-open until the client sees it end.
  private sessionClosed(aws: AwsSession): void {
    const end = aws.client?.end ?? null;
    const d = aws.disconnected as DisconnectedEvent;
    if (end === null) {
      this.halfOpenSet.add(aws);
      return;
    }
    if (end.by === "time") this.unattributed.push(end.joined as DisconnectedEvent);
    this.openEnds.remove(end);
    this.join(end, d, "session");
  }

  // The success nearest a connect (corrected); a success paired with a worse-fitting connect is taken over.
  private pairConnected(c: ConnectedEvent): boolean {
    const off =
      this.estimate ?? this.bootstrap([c.timestamp, ...this.near(this.unpairedConnected, c.timestamp).map(ts)], this.near(this.successes, c.timestamp).map(at));
    if (off === null) return false;
    const target = c.timestamp - off;
    const s = this.successes.nearest(target, this.windowMs, (n) => this.canTake(n, Math.abs(n.at - target), off));
    if (s === undefined) return false;
    this.link(s, c);
    return true;
  }

  private pairSuccess(node: ClientNode): void {
    // Nothing to pair with (a journal without AWS's events): no estimate, no search, no arrays.
    if (this.unpairedConnected.size === 0) return;
    const off = this.estimate ?? this.bootstrap(this.near(this.unpairedConnected, node.at).map(ts), [node.at, ...this.near(this.successes, node.at).map(at)]);
    if (off === null) return;
    const c = this.unpairedConnected.nearest(node.at + off, this.windowMs);
    if (c === undefined) {
      if (this.offset.count > 0 && this.near(this.unpairedConnected, node.at + off).length > 0 && ++this.misses >= MISSES_TO_RESET) this.offset.clear();
      return;
    }
    this.unpairedConnected.remove(c);
    this.link(node, c);
  }

  private near<T>(index: TimeIndex<T>, t: number): T[] {
    return index.within(t - MAX_CLOCK_SKEW_MS, t + MAX_CLOCK_SKEW_MS).slice(-BOOTSTRAP_SAMPLE);
  }

  private bootstrap(awsTimes: number[], clientTimes: number[]): number | null {
    return bootstrapOffset(awsTimes, clientTimes, MAX_CLOCK_SKEW_MS, OFFSET_TOLERANCE_MS);
  }

  // An unpaired success, or one paired with a connect further off, while the client's session is
  // open or AWS has not closed the one it holds (a stranger's connect just before our reconnect).
  private canTake(n: ClientNode, gap: number, off: number): boolean {
    const session = n.session;
    const aws = session?.aws ?? null;
    if (aws === null) return true;
    const held = aws.connected;
    return held !== null && Math.abs(held.timestamp - off - n.at) > gap && (session?.end === null || aws.disconnected === null);
  }

  private link(node: ClientNode, c: ConnectedEvent): void {
    const session = node.session as ClientSession;
    const displaced = session.aws;
    const aws = this.sessionOf(c.sessionIdentifier);
    session.aws = aws;
    aws.client = session;
    this.join(node, c, "session");
    if (displaced?.connected) {
      displaced.client = null;
      this.halfOpenSet.delete(displaced);
      this.offset.remove(displaced.connected.timestamp - node.at);
      this.unpairedConnected.insert(displaced.connected);
    }
    const est = this.offset.ms;
    if (est === null || Math.abs(c.timestamp - node.at - est) <= SAMPLE_TOLERANCE_MS) this.offset.add(c.timestamp - node.at);
    this.misses = 0;
    const d = aws.disconnected;
    if (d !== null) {
      this.looseDisconnects.remove(d);
      this.sessionClosed(aws);
    }
  }
}
