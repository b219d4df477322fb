import type { ConnectionDropEvent, ConnectionFailureEvent } from "../collector/types.js";
import type { ConnectionHistory } from "./history.js";
import { countBy, ended, perHistory, type EndedDrop, type Rule } from "./rule-helpers.js";
import { HANGUPS, NETWORK_ERRORS, PING_TIMEOUTS } from "./signals.js";
import { farAboveKeepAlive, lifetimeShape } from "./lifetime-rules.js";
import { confidenceFrom, cv, fmtSeconds, median } from "./stats.js";
import { plural } from "../text/plural.js";

/** AWS IoT Core accepts keep-alives of 30-1200 s: nothing below 30 s can be advised. */
const MIN_KEEP_ALIVE = 30;

export interface IdleTimeoutShape {
  /** The drops the idle timeout explains: ping timeouts or resets after near-constant sessions. */
  idle: EndedDrop[];
  medianSeconds: number;
  spread: number;
  /** The keep-alive to advise: under the idle timeout, within what AWS IoT accepts. */
  advisedKeepAlive: number;
}

/**
 * Sessions of a near-constant length (≥ 30 s) ended by ping timeouts or resets, with a keep-alive
 * that could go lower: the shape of an idle timeout on the path. One predicate for both link
 * rules, so `nat_idle_timeout` and `network_unstable` never claim the same drops. When the
 * keep-alive is already at or below what would be advised, pings kept the path busier than the
 * session length: no idle timeout explains the drops (a timer or a fault does), and nothing can
 * be advised that is not already set.
 */
export const idleTimeoutShape: (h: ConnectionHistory) => IdleTimeoutShape | undefined = perHistory(idleShapeOf);

function idleShapeOf(h: ConnectionHistory): IdleTimeoutShape | undefined {
  const idle = ended(h).filter(
    (d) => d.error_name !== null && (PING_TIMEOUTS.has(d.error_name) || HANGUPS.has(d.error_name)) && d.duration_connected_seconds >= 30,
  );
  if (idle.length < 3) return undefined;
  const durations = idle.map((d) => d.duration_connected_seconds);
  const spread = cv(durations);
  if (!(spread < 0.15)) return undefined;
  const m = median(durations);
  // Far above the keep-alive, no idle timeout ends a session: a fixed lifetime does (lifetime-rules.ts).
  if (farAboveKeepAlive(m, h.keepAliveSeconds)) return undefined;
  const advisedKeepAlive = Math.max(MIN_KEEP_ALIVE, Math.min(240, Math.floor(m * 0.6)));
  if (h.keepAliveSeconds !== null && h.keepAliveSeconds <= advisedKeepAlive) return undefined;
  return { idle, medianSeconds: m, spread, advisedKeepAlive };
}

/** Ping timeouts or resets after sessions of a near-constant length: an idle timeout on the path. */
export const natIdleTimeout: Rule = (h) => {
  const shape = idleTimeoutShape(h);
  if (shape === undefined) return undefined;
  const { idle, medianSeconds: m, spread, advisedKeepAlive } = shape;
  const nearAwsIdle = m >= 280 && m <= 370;
  const ka = h.keepAliveSeconds;
  const tiedToKeepAlive = ka !== null && Math.abs(m / ka - Math.round(m / ka)) < 0.1;
  const confidence = Math.min(0.95, confidenceFrom(idle.length, 3, 0.5, 0.85) + (nearAwsIdle ? 0.1 : 0) + (tiedToKeepAlive ? 0.05 : 0));
  return {
    cause: "nat_idle_timeout",
    confidence,
    summary: `Sessions end after a near-constant ${fmtSeconds(m)} with ping timeouts or resets: a NAT, firewall or load balancer is dropping the idle connection.`,
    evidence: [
      `${plural(idle.length, "session")} ended by ${countBy(idle.map((d) => d.error_name ?? "none"))}`,
      `session length median ${fmtSeconds(m)}, spread ${(spread * 100).toFixed(1)}%`,
      ...(nearAwsIdle ? ["close to the 300-350 s idle timeout of common NATs and AWS load balancers"] : []),
      ...(ka !== null ? [`keep-alive ${ka} s`] : []),
    ],
    recommendation: `Lower keep_alive_seconds${ka !== null ? ` from ${ka} s` : ""} below the idle timeout (e.g. ${advisedKeepAlive} s), or raise the middlebox's idle timeout. AWS IoT Core accepts 30-1200 s.`,
  };
};

type LinkEvent = (ConnectionDropEvent | ConnectionFailureEvent) & { duration_connected_seconds?: number | null };

/**
 * Socket, DNS and timeout errors that neither the idle-timeout shape nor a fixed lifetime explains. Hang-ups seconds
 * into a session are the duplicate-client-ID pattern, not the link.
 */
export function unexplainedNetworkEvents(h: ConnectionHistory, shape = idleTimeoutShape(h)): LinkEvent[] {
  // A fixed lifetime (AWS's or the path's) explains its sessions' ends as well.
  const lifetime = lifetimeShape(h);
  const fixed = lifetime !== undefined && farAboveKeepAlive(lifetime.medianSeconds, h.keepAliveSeconds) ? lifetime.long : [];
  const explained = new Set<object>([...(shape?.idle ?? []), ...fixed]);
  const shortHangup = (e: LinkEvent) =>
    e.error_name !== null && HANGUPS.has(e.error_name) && e.duration_connected_seconds != null && e.duration_connected_seconds < 10;
  return [...h.drops, ...h.failures].filter(
    (e: LinkEvent) => e.error_name !== null && NETWORK_ERRORS.has(e.error_name) && !shortHangup(e) && !explained.has(e),
  );
}

/** Socket, DNS and timeout errors at irregular intervals: the link itself. */
export const networkUnstable: Rule = (h) => {
  const shape = idleTimeoutShape(h);
  const net = unexplainedNetworkEvents(h, shape);
  if (net.length < 3) return undefined;
  const durations = net.flatMap((e) => (e.duration_connected_seconds != null ? [e.duration_connected_seconds] : []));
  return {
    cause: "network_unstable",
    confidence: confidenceFrom(net.length, 3, 0.4, 0.85),
    summary: "The connection breaks with socket, DNS or timeout errors that no idle timeout explains: the network path is unreliable.",
    evidence: [
      `${plural(net.length, "network error")}${shape ? ` besides the ${plural(shape.idle.length, "drop")} the idle timeout explains` : ""}: ${countBy(net.map((e) => e.error_name ?? ""))}`,
      ...(durations.length >= 3 ? [`session lengths spread ${(cv(durations) * 100).toFixed(0)}% around ${fmtSeconds(median(durations))}`] : []),
    ],
    recommendation:
      "Look at the device's link (signal, Wi-Fi/cellular hand-overs, DNS). Keep a queue for offline publishes and a backoff with jitter; compare with CloudWatch Connect.Success to rule out the service side.",
  };
};
