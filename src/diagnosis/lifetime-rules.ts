import type { ConnectionHistory } from "./history.js";
import { ended, perHistory, type EndedDrop, type Rule } from "./rule-helpers.js";
import { confidenceFrom, cv, fmtSeconds, median } from "./stats.js";
import { plural } from "../text/plural.js";

/** A session this long or longer, far above the keep-alive, is not ended by idleness: the keep-alive's pings keep it busy. */
export const LIFETIME_MIN_SECONDS = 3600;
/** "Far above the keep-alive": more than this many keep-alive intervals. */
const KEEP_ALIVES_PER_LIFETIME = 4;
/** A fixed lifetime varies by less than this (24.0 h +/- a few seconds). */
const LIFETIME_SPREAD = 0.02;

/**
 * AWS's lifetime limits apply to WebSocket connections (24 h) and to custom-authorizer ones
 * (`disconnectAfterInSeconds`), not to certificate (mTLS) connections: the transport is the
 * newest success's (`mtls` when not recorded, as in older journals).
 */
export function hasAwsLifetime(h: ConnectionHistory): boolean {
  const transport = h.connections.at(-1)?.transport ?? "mtls";
  return transport.startsWith("websocket") || transport.startsWith("custom_auth");
}

/** Whether a session length is far above the keep-alive (so no idle timeout can end it). */
export function farAboveKeepAlive(seconds: number, keepAliveSeconds: number | null): boolean {
  return seconds >= LIFETIME_MIN_SECONDS && (keepAliveSeconds === null || seconds > KEEP_ALIVES_PER_LIFETIME * keepAliveSeconds);
}

export interface LifetimeShape {
  long: EndedDrop[];
  medianSeconds: number;
  spread: number;
}

/** Most ended sessions (at least two) of one long length, varying by under 2 %: a fixed lifetime. */
export const lifetimeShape: (h: ConnectionHistory) => LifetimeShape | undefined = perHistory(lifetimeShapeOf);

function lifetimeShapeOf(h: ConnectionHistory): LifetimeShape | undefined {
  const all = ended(h);
  const long = all.filter((d) => d.duration_connected_seconds >= LIFETIME_MIN_SECONDS);
  if (long.length < 2 || long.length * 2 < all.length) return undefined;
  const durations = long.map((d) => d.duration_connected_seconds);
  const spread = cv(durations);
  if (!(spread < LIFETIME_SPREAD)) return undefined;
  return { long, medianSeconds: median(durations), spread };
}

/**
 * Sessions that end at a near-constant length far above the keep-alive, on a transport AWS sets
 * no lifetime for (certificates, or not recorded): a connection that pings every keep-alive is
 * never idle that long, so the path closes it at a maximum age (an ISP's forced daily
 * reconnect, a carrier, a load balancer's or firewall's maximum connection age).
 */
export const fixedSessionLifetime: Rule = (h) => {
  if (hasAwsLifetime(h)) return undefined;
  const shape = lifetimeShape(h);
  if (shape === undefined || !farAboveKeepAlive(shape.medianSeconds, h.keepAliveSeconds)) return undefined;
  const { long, medianSeconds: m, spread } = shape;
  const ka = h.keepAliveSeconds;
  const recorded = h.connections.at(-1)?.transport !== undefined && h.connections.at(-1)?.transport !== null;
  return {
    cause: "fixed_session_lifetime",
    confidence: confidenceFrom(long.length, 2, 0.55, 0.9),
    summary: `Sessions end at a fixed lifetime of ${fmtSeconds(m)}, far above the keep-alive${ka !== null ? ` (${ka} s)` : ""}: not an idle timeout (the pings keep the connection busy), but something that closes connections at a maximum age.`,
    evidence: [
      `${plural(long.length, "session")} of ${fmtSeconds(m)} (spread ${(spread * 100).toFixed(2)}%)`,
      ...(ka !== null ? [`keep-alive ${ka} s: the connection is never idle for more than that`] : []),
      recorded
        ? "transport: certificates (mTLS), which AWS IoT Core sets no lifetime for"
        : "transport not recorded (older journal): taken as certificates (mTLS)",
    ],
    recommendation:
      "If this connection is in fact a WebSocket or custom-authorizer one, this is AWS IoT Core's connection lifetime (24 h, or the authorizer's disconnectAfterInSeconds): expected. Otherwise the path imposes it: an ISP's forced daily reconnect, a mobile carrier's session limit, or a load balancer's or firewall's maximum connection age. Make sure the client reconnects promptly, and raise or remove the limit where you control it.",
  };
};
