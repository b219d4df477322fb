import { DisconnectReason, connackReasonName, disconnectReasonName } from "../collector/reason-codes.js";
import type { ConnectionFailureEvent } from "../collector/types.js";
import type { ConnectionHistory, ServerSide } from "./history.js";
import { natIdleTimeout, networkUnstable } from "./link-rules.js";
import { fixedSessionLifetime, hasAwsLifetime, lifetimeShape } from "./lifetime-rules.js";
import { countBy, ended, withReason, type Rule } from "./rule-helpers.js";
import { AUTH_CONNACK, HANGUPS, isCredentialRefusal, PING_TIMEOUTS, THROTTLE_CONNACK, THROTTLE_REASONS, TLS_REFUSALS } from "./signals.js";
import { confidenceFrom, cv, fmtSeconds, median } from "./stats.js";
import type { Finding } from "./types.js";
import { plural } from "../text/plural.js";

const FIGHT_WINDOW_MS = 120_000;

/** The most timestamps (sorted ascending) that fit in any window of `windowMs`. */
function largestBurst(times: readonly number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while ((times[j] as number) - (times[i] as number) > windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/** Failed attempts the server refused with one of these CONNACK reason codes. */
const refusedWith = (h: ConnectionHistory, codes: ReadonlySet<number>) =>
  h.failures.filter((f) => f.connack_reason_code !== null && codes.has(f.connack_reason_code));

/** `CONNACK refusals: not_authorized ×2`, or no evidence without any. */
const connackEvidence = (refused: readonly ConnectionFailureEvent[]) =>
  refused.length ? [`CONNACK refusals: ${countBy(refused.map((f) => connackReasonName(f.connack_reason_code ?? 0)))}`] : [];

/**
 * A finding from `n` signals that each point at the cause on their own: confident from the first
 * one (`base`), more with each; none without any. Its keys in the order every finding has.
 */
function fromSignals(n: number, base: number, f: Omit<Finding, "confidence">): Finding | undefined {
  if (n === 0) return undefined;
  return { cause: f.cause, confidence: confidenceFrom(n, 1, base), summary: f.summary, evidence: f.evidence, recommendation: f.recommendation };
}

/**
 * AWS's end of the session says it was not another device: our own reconnect replaced our stale
 * session, or the link died (a foreign takeover is DUPLICATE_CLIENTID, decided by AWS's reason).
 */
const endedByUs = (d: ServerSide) => d.server_outcome != null && d.server_outcome !== "foreign_takeover";

/** DISCONNECT 0x8E, or short sessions that end in hang-ups again and again (unless AWS's events show whose they were). */
export const duplicateClientId: Rule = (h) => {
  const takenOver = withReason(h, new Set([DisconnectReason.SESSION_TAKEN_OVER]));
  const short = ended(h).filter((d) => d.duration_connected_seconds < 10 && d.error_name !== null && HANGUPS.has(d.error_name) && !endedByUs(d));
  const sessions = ended(h).length;
  const shortShare = sessions === 0 ? 0 : short.length / sessions;
  // Two clients fighting over one ID knock each other off within seconds, again and again:
  // a burst of short sessions is the signature even when the rest of the history is long.
  const burst = largestBurst(
    short.map((d) => Date.parse(d.timestamp)),
    FIGHT_WINDOW_MS,
  );
  const byReason = confidenceFrom(takenOver.length, 1, 0.7);
  const byPattern = shortShare >= 0.5 || burst >= 3 ? confidenceFrom(Math.max(burst, shortShare >= 0.5 ? short.length : 0), 3, 0.45, 0.75) : 0;
  const confidence = Math.max(byReason, byPattern);
  if (confidence === 0) return undefined;
  const evidence: string[] = [];
  if (takenOver.length > 0) evidence.push(`${plural(takenOver.length, "DISCONNECT packet")} with reason 0x8E session_taken_over`);
  if (byPattern > 0) {
    evidence.push(
      `${short.length} of ${plural(sessions, "session")} lasted under 10 s and ended in a hang-up (median ${fmtSeconds(median(short.map((d) => d.duration_connected_seconds)))})`,
    );
    if (burst >= 3) evidence.push(`${burst} of them within ${FIGHT_WINDOW_MS / 1000} s of each other`);
  }
  return {
    cause: "duplicate_client_id",
    confidence,
    summary: "Another client is connecting with the same client ID and taking the session over.",
    evidence,
    recommendation:
      "Give every device and process its own client ID (AWS IoT disconnects the older connection when a second one uses the same ID). Look for a second process, a cloned device image or a retry loop that starts a new client without stopping the old one.",
  };
};

/** A long keep-alive lets a half-open connection go unnoticed for minutes. */
export const keepAliveTooLong: Rule = (h) => {
  const ka = h.keepAliveSeconds;
  if (ka === null || ka <= 300) return undefined;
  const silent = h.drops.filter((d) => d.error_name !== null && (PING_TIMEOUTS.has(d.error_name) || HANGUPS.has(d.error_name)));
  if (silent.length === 0) return undefined;
  return {
    cause: "keep_alive_too_long",
    confidence: confidenceFrom(silent.length, 1, 0.4, 0.8),
    summary: `The keep-alive is ${ka} s: a dead connection can go unnoticed for up to ${fmtSeconds(ka * 1.5)}, and idle middleboxes may time out first.`,
    evidence: [`negotiated keep-alive ${ka} s (above 300 s)`, `${plural(silent.length, "drop")} by ping timeout or hang-up`],
    recommendation: "Use a keep-alive of 300 s or less (60-240 s behind NAT or mobile networks); AWS IoT Core accepts 30-1200 s.",
  };
};

/** Sessions that end at a fixed long lifetime: the 24 h limit or an authorizer's TTL. */
export const awsConnectionTtl: Rule = (h) => {
  const maxTime = withReason(h, new Set([DisconnectReason.MAXIMUM_CONNECT_TIME]));
  const long = ended(h).filter((d) => d.duration_connected_seconds >= 3600);
  const spread = cv(long.map((d) => d.duration_connected_seconds));
  // Most sessions, not a couple of coincidences, must end at the same long lifetime, on a
  // transport that has one (on others, a fixed lifetime is the path's: fixed_session_lifetime).
  const fixed = hasAwsLifetime(h) && lifetimeShape(h) !== undefined;
  const confidence = Math.max(confidenceFrom(maxTime.length, 1, 0.7), fixed ? confidenceFrom(long.length, 2, 0.55, 0.9) : 0);
  if (confidence === 0) return undefined;
  const m = median(long.map((d) => d.duration_connected_seconds));
  return {
    cause: "aws_connection_ttl",
    confidence,
    summary: `Sessions end at a fixed lifetime${Number.isNaN(m) ? "" : ` of ${fmtSeconds(m)}`}: a server-side connection limit, not the network.`,
    evidence: [
      ...(maxTime.length ? [`${plural(maxTime.length, "DISCONNECT packet")} with reason 0xA0 maximum_connect_time`] : []),
      ...(fixed ? [`${plural(long.length, "session")} of ${fmtSeconds(m)} (spread ${(spread * 100).toFixed(2)}%)`] : []),
      ...(Math.abs(m - 86400) < 600 ? ["matches AWS IoT's 24 h maximum connection duration for WebSocket connections"] : []),
    ],
    recommendation:
      "Expected behaviour: AWS IoT closes WebSocket connections after 24 h and custom-authorizer connections when their TTL expires. Make sure the client reconnects promptly (it does if time to reconnect is short) and refresh credentials before the limit.",
  };
};

/** Quota and rate limits: DISCONNECT 0x96/0x97/0x89/0x9F, or throttled connects. */
export const serverThrottling: Rule = (h) => {
  const drops = withReason(h, THROTTLE_REASONS);
  const connacks = refusedWith(h, THROTTLE_CONNACK);
  return fromSignals(drops.length + connacks.length, 0.65, {
    cause: "server_throttling",
    summary: "AWS IoT is throttling this client: it exceeded a message, connection or quota limit.",
    evidence: [
      ...(drops.length ? [`DISCONNECT reasons: ${countBy(drops.map((d) => disconnectReasonName(d.disconnect_reason_code ?? 0)))}`] : []),
      ...connackEvidence(connacks),
    ],
    recommendation:
      "Stay under AWS IoT Core's per-connection limits (100 publishes/s, 512 KiB/s inbound, 1 connect/s per client ID); batch or slow publishes and spread reconnects with jittered backoff. Request a quota increase if the load is legitimate.",
  });
};

/**
 * Attempts the TLS handshake refused (an untrusted client certificate shows as a read failure
 * or an alert), attempts whose SigV4 credentials or WebSocket upgrade failed, CONNACK 0x86/0x87,
 * DISCONNECT 0x87: certificates, credentials or policies. A TLS negotiation
 * that timed out is no refusal: it is network evidence (`network_unstable`).
 */
export const authOrPolicy: Rule = (h) => {
  const tls = h.failures.filter((f) => f.error_name !== null && (TLS_REFUSALS.has(f.error_name) || isCredentialRefusal(f.error_name)));
  const refused = refusedWith(h, AUTH_CONNACK);
  const notAuthorized = withReason(h, new Set([DisconnectReason.NOT_AUTHORIZED]));
  return fromSignals(tls.length + refused.length + notAuthorized.length, 0.6, {
    cause: "auth_or_policy",
    summary: "Authentication or authorization fails: the certificate, its CA, the credentials, or the IoT policy does not allow this connection.",
    evidence: [
      ...(tls.length ? [`${plural(tls.length, "failed attempt")}: ${countBy(tls.map((f) => f.error_name ?? ""))}`] : []),
      ...connackEvidence(refused),
      ...(notAuthorized.length
        ? [`${plural(notAuthorized.length, "DISCONNECT packet")} with reason 0x87 not_authorized (often a publish or subscribe the policy denies)`]
        : []),
    ],
    recommendation:
      "Check that the certificate is ACTIVE and attached to the thing, that the client trusts AmazonRootCA1, and that the IoT policy allows iot:Connect for this client ID and iot:Publish/iot:Subscribe/iot:Receive for the topics used. Over WebSocket: that AWS credentials reach the default provider chain and their IAM policy allows iot:Connect (SigV4), or that the custom authorizer's name, token and signature are right and it allows the connection.",
  });
};

/** Retries under a second apart, or retry intervals that do not grow. */
export const aggressiveReconnect: Rule = (h) => {
  // Failed attempts arrive as failures, or (the original module's way) as drops with reconnect_attempt > 0.
  const attempts = [
    ...h.failures.map((f) => Date.parse(f.timestamp)),
    ...h.drops.filter((d) => d.reconnect_attempt > 0).map((d) => Date.parse(d.timestamp)),
    ...h.connections.filter((c) => c.time_to_reconnect_seconds !== null).map((c) => Date.parse(c.timestamp)),
  ].sort((a, b) => a - b);
  let fast = 0;
  for (let i = 1; i < attempts.length; i++) if ((attempts[i] as number) - (attempts[i - 1] as number) < 1000) fast++;
  const quickReconnects = h.connections.filter((c) => c.time_to_reconnect_seconds !== null && c.time_to_reconnect_seconds < 1);
  const n = fast + quickReconnects.length;
  if (n < 3) return undefined;
  return {
    cause: "aggressive_reconnect",
    confidence: confidenceFrom(n, 3, 0.5, 0.9),
    summary: "The client retries faster than once per second: AWS IoT allows one connect per second per client ID and throttles the rest.",
    evidence: [
      ...(fast ? [`${plural(fast, "connection attempt")} less than 1 s after the previous one`] : []),
      ...(quickReconnects.length ? [`${plural(quickReconnects.length, "reconnect")} within 1 s of a drop`] : []),
    ],
    recommendation: reconnectAdvice(h.reconnect),
  };
};

/** What to change about the backoff, never repeating what is already set. */
function reconnectAdvice(r: ConnectionHistory["reconnect"]): string {
  if (r === undefined || r.minDelayMs < 1000) {
    return `Set reconnect.min_delay_ms to 1000 or more${r ? ` (it is ${r.minDelayMs} ms)` : ""} with exponential backoff and jitter (the SDK's retryJitterMode), so a fleet does not reconnect in lock-step.`;
  }
  if (r.jitter === "full") {
    return `reconnect.min_delay_ms is already ${r.minDelayMs} ms, but full jitter can draw a delay below it: use jitter: decorrelated, which keeps each delay at or above the minimum and still spreads a fleet out.`;
  }
  return `reconnect.min_delay_ms is already ${r.minDelayMs} ms with ${r.jitter} jitter, so the SDK's backoff is not what retries this fast: look for code that creates a new client or calls connect()/start() again on every failure, or a second process with the same client ID.`;
}

/** DISCONNECT 0x8B server shutting down: rare and harmless when the client reconnects. */
export const serverMaintenance: Rule = (h) => {
  const shutting = withReason(h, new Set([DisconnectReason.SERVER_SHUTTING_DOWN]));
  if (shutting.length === 0) return undefined;
  const spanH = h.drops.length > 1 ? (Date.parse(h.drops.at(-1)?.timestamp ?? "") - Date.parse(h.drops[0]?.timestamp ?? "")) / 3_600_000 : 0;
  const rare = shutting.length <= Math.max(1, spanH / 24);
  return {
    cause: "server_maintenance",
    confidence: rare ? 0.7 : 0.5,
    summary: "AWS IoT closed the connection for server maintenance (DISCONNECT 0x8B server shutting down).",
    evidence: [`${plural(shutting.length, "DISCONNECT packet")} with reason 0x8B server_shutting_down`],
    recommendation:
      "Nothing to fix on the client if it reconnects quickly; this is routine service-side maintenance. Make sure QoS 1 messages are re-sent after the reconnect.",
  };
};

export const RULES: readonly Rule[] = [
  duplicateClientId,
  natIdleTimeout,
  keepAliveTooLong,
  awsConnectionTtl,
  serverThrottling,
  authOrPolicy,
  networkUnstable,
  aggressiveReconnect,
  serverMaintenance,
  fixedSessionLifetime,
];
