import type { DisconnectedEvent } from "./events.js";
import type { ClientNode } from "./nodes.js";
import type { SessionJoin } from "./session-join.js";

/**
 * What AWS's end of one of our sessions means:
 * - `keep_alive_expiry`: AWS heard nothing for 1.5 x keep-alive (MQTT_KEEP_ALIVE_TIMEOUT): the path went silent;
 * - `self_takeover`: DUPLICATE_CLIENTID whose newcomer is our own reconnect: AWS had kept our dead session open;
 * - `foreign_takeover`: DUPLICATE_CLIENTID whose newcomer is another device (a `connected` no success of ours explains);
 * - `closed`: any other reason, which names the cause itself.
 */
export type ServerOutcome = "keep_alive_expiry" | "self_takeover" | "foreign_takeover" | "closed";

export interface EndOutcome {
  outcome: ServerOutcome;
  /** AWS's event minus the client's drop, in ms, on the client's clock (corrected for the offset); negative when AWS was first. */
  delayMs: number;
  /** `session`: paired by AWS's session identifier; `time`: by time proximity only. */
  by: "session" | "time";
}

/**
 * The outcome of a drop or stop that AWS's `disconnected` event joined; null otherwise. Reads the
 * join, never changes it. `takenOver`: the client itself received a DISCONNECT "session taken
 * over" (0x8E) for this drop, so its connection was alive when the newcomer came: however close
 * a success of ours is, the newcomer was another client.
 */
export function outcomeOf(join: SessionJoin, node: ClientNode, takenOver = false): EndOutcome | null {
  const e = node.joined;
  if (e === null || e.eventType !== "disconnected") return null;
  const delayMs = e.timestamp - join.shift - node.at;
  const by = node.by ?? "time";
  if (e.disconnectReason === "MQTT_KEEP_ALIVE_TIMEOUT") return { outcome: "keep_alive_expiry", delayMs, by };
  if (e.disconnectReason === "DUPLICATE_CLIENTID") return { outcome: takenOver ? "foreign_takeover" : takeoverBy(join, e), delayMs, by };
  return { outcome: "closed", delayMs, by };
}

/** Without AWS's event for the newcomer, our success must be this close to the close to be the newcomer. */
const SAME_MOMENT_MS = 1_000;

/**
 * AWS closes the older session the moment a newcomer connects with the same client ID: the
 * newcomer is the `connected` event nearest the close. Ours (paired with one of our successes)
 * is a self-takeover; when AWS's events do not show it, a success of ours at that moment is.
 */
function takeoverBy(join: SessionJoin, e: DisconnectedEvent): ServerOutcome {
  const newcomer = join.connectNear(e.timestamp, join.windowMs, e.sessionIdentifier);
  if (newcomer !== undefined) return newcomer.client !== null ? "self_takeover" : "foreign_takeover";
  return join.successNear(e.timestamp - join.shift, SAME_MOMENT_MS) !== undefined ? "self_takeover" : "foreign_takeover";
}
