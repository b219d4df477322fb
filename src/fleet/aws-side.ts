import { isoTimestamp } from "../clock.js";
import { DEFAULT_CONNECTION, lineOf, type JournalEvent } from "../collector/event-model.js";
import type { ConnectedEvent, LifecycleEvent } from "../aws-join/events.js";
import { DEFAULT_JOIN_WINDOW_MS } from "../aws-join/join.js";

interface Item {
  /** Sort key: the session's start (its events stay together), then the event's place in it. */
  start: number;
  step: number;
  at: number;
  line: (ts: string) => JournalEvent;
}

/**
 * Sessions with this device's client ID that are another device's: a connect from another
 * address than the device's own (its first session's) that AWS answered by closing one of the
 * device's own sessions with DUPLICATE_CLIENTID (two devices sharing an ID knock each other off).
 * A device that moved to a new address without such a fight is still itself.
 */
export function foreignSessions(events: readonly LifecycleEvent[], windowMs = DEFAULT_JOIN_WINDOW_MS): Set<string> {
  const connects = events.filter((e): e is ConnectedEvent => e.eventType === "connected");
  const home = connects[0]?.ipAddress;
  const ipOf = new Map(connects.map((c) => [c.sessionIdentifier, c.ipAddress]));
  const takeovers = events.filter(
    (e) => e.eventType === "disconnected" && e.disconnectReason === "DUPLICATE_CLIENTID" && ipOf.get(e.sessionIdentifier) === home,
  );
  const out = new Set<string>();
  for (const c of connects) {
    if (c.ipAddress === home) continue;
    if (takeovers.some((d) => Math.abs(d.timestamp - c.timestamp) <= windowMs)) out.add(c.sessionIdentifier);
  }
  return out;
}

/**
 * The client side a device that ships nothing would have recorded, read from AWS's events (in
 * AWS's order): a success per connect, a drop per disconnect (a stop when the client closed it),
 * a failed attempt per refused connect; no error names (AWS says nothing of what the client saw).
 * Another device's sessions are left out, so the join sees them as foreign. Times never go
 * backwards: when AWS closes a session after the next one opened, the next one is recorded as
 * opening at that close (by ms, well within the join window).
 */
export function linesFromAws(clientId: string, events: readonly LifecycleEvent[]): JournalEvent[] {
  const foreign = foreignSessions(events);
  const starts = new Map<string, number>();
  for (const e of events) if (e.eventType === "connected") starts.set(e.sessionIdentifier, e.timestamp);
  const items: Item[] = [];
  const conn = DEFAULT_CONNECTION;
  for (const e of events) {
    if (foreign.has(e.sessionIdentifier)) continue;
    const start = starts.get(e.sessionIdentifier) ?? e.timestamp;
    if (e.eventType === "connected") {
      items.push({ start, step: 0, at: e.timestamp, line: (ts) => lineOf("connection_success", ts, conn, { client_id: clientId }) });
    } else if (e.eventType === "disconnected") {
      const stop = e.clientInitiatedDisconnect;
      items.push({
        start,
        step: 1,
        at: e.timestamp,
        line: (ts) => (stop ? lineOf("connection_stopped", ts, conn, { reason: "client" }) : lineOf("connection_drop", ts, conn, {})),
      });
    } else {
      items.push({ start, step: 0, at: e.timestamp, line: (ts) => lineOf("connection_failure", ts, conn, {}) });
    }
  }
  items.sort((a, b) => a.start - b.start || a.step - b.step || a.at - b.at);
  let t = -Infinity;
  return items.map((item) => {
    t = Math.max(t, item.at);
    return item.line(isoTimestamp(t));
  });
}
