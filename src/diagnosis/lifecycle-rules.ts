import type { ConnectionHistory, ServerSide } from "./history.js";
import { countBy } from "./rule-helpers.js";
import { confidenceFrom, fmtSeconds, median } from "./stats.js";
import type { CauseId, Finding } from "./types.js";
import { plural } from "../text/plural.js";

/**
 * AWS IoT Core's own reason for a drop (its lifecycle `disconnectReason`, or a connect failure's
 * `connectFailureReason`) is decisive evidence: it names the cause, so it outranks what the
 * patterns guess from the client's side. Source: the AWS IoT developer guide, "Lifecycle events"
 * (docs/diagnosis.md, source 2).
 */
const DECISIVE: Readonly<Record<string, CauseId>> = {
  DUPLICATE_CLIENTID: "duplicate_client_id",
  THROTTLED: "server_throttling",
  AUTH_ERROR: "auth_or_policy",
  FORBIDDEN_ACCESS: "auth_or_policy",
  AUTHORIZATION_FAILED: "auth_or_policy",
  WEBSOCKET_TTL_EXPIRATION: "aws_connection_ttl",
  CUSTOMAUTH_TTL_EXPIRATION: "aws_connection_ttl",
  SERVER_INITIATED_DISCONNECT: "server_maintenance",
  API_INITIATED_DISCONNECT: "api_initiated_disconnect",
  CLIENT_INITIATED_DISCONNECT: "client_closed",
  SERVER_ERROR: "aws_server_error",
  CLIENT_ERROR: "client_protocol_error",
};

/** Reasons that say the link died, not why: the session-shape rules (NAT idle timeout, unstable network) decide. */
export const SHAPE_REASONS: ReadonlySet<string> = new Set(["MQTT_KEEP_ALIVE_TIMEOUT", "CONNECTION_LOST"]);

const isDecisive = (reason: string | null | undefined): reason is string => typeof reason === "string" && Object.hasOwn(DECISIVE, reason);

/** Our own reconnect replaced our stale session: AWS's DUPLICATE_CLIENTID names no other device, so it decides nothing. */
const isSelfTakeover = (e: ServerSide) => e.server_outcome === "self_takeover";

/** AWS named the cause of this drop or failed attempt. */
const decides = (e: ServerSide) => isDecisive(e.server_reason) && !isSelfTakeover(e);

/**
 * How confident AWS's reasons make a cause: from the first event on, growing with their number,
 * the same curve for every reason (the cause AWS names, or the link dying), so findings rank by
 * the weight of evidence across reasons, not by the kind of reason.
 */
export const awsConfidence = (n: number) => confidenceFrom(n, 1, 0.8, 0.99);

interface Text {
  summary: string;
  recommendation: string;
}

const TEXT: Readonly<Record<CauseId, Text | undefined>> = {
  duplicate_client_id: {
    summary: "AWS IoT Core closed the connection because another client connected with the same client ID (DUPLICATE_CLIENTID).",
    recommendation:
      "Give every device and process its own client ID. The other session's IP address (evidence) shows which device or process it is: stop it or give it another ID.",
  },
  server_throttling: {
    summary: "AWS IoT Core closed the connection for exceeding a limit (THROTTLED).",
    recommendation:
      "Stay under AWS IoT Core's per-connection limits (100 publishes/s, 512 KiB/s inbound, 1 connect/s per client ID, 50 subscriptions); batch or slow publishes. Request a quota increase if the load is legitimate.",
  },
  auth_or_policy: {
    summary: "AWS IoT Core refused this client's authentication or authorization.",
    recommendation:
      "Check that the certificate is ACTIVE and attached, and that the IoT policy allows iot:Connect for this client ID and iot:Publish/iot:Subscribe/iot:Receive for the topics used; AWS closes the connection on a denied publish or subscribe.",
  },
  aws_connection_ttl: {
    summary: "AWS IoT Core closed the connection at its maximum lifetime (WebSocket 24 h, or the custom authorizer's disconnectAfterInSeconds).",
    recommendation: "Expected behaviour: make sure the client reconnects promptly and refreshes its credentials or token before the limit.",
  },
  server_maintenance: {
    summary: "AWS IoT Core closed the connection for operational reasons (SERVER_INITIATED_DISCONNECT).",
    recommendation: "Nothing to fix on the client if it reconnects quickly; make sure QoS 1 messages are re-sent after the reconnect.",
  },
  api_initiated_disconnect: {
    summary: "Someone disconnected this client through the AWS IoT API (DeleteConnection).",
    recommendation: "Find who calls iot:DeleteConnection for this client ID (CloudTrail records the caller): an operator, a Lambda or a fleet tool.",
  },
  client_closed: {
    summary: "AWS IoT Core saw the client itself close the connection (CLIENT_INITIATED_DISCONNECT), though the exporter recorded a drop.",
    recommendation:
      "The application (or a library it uses) disconnects: look for a disconnect()/stop() call, a process restart or a WebSocket close on the client side.",
  },
  aws_server_error: {
    summary: "AWS IoT Core closed the connection because of an unexpected server problem (SERVER_ERROR).",
    recommendation: "Nothing to fix on the client if it reconnects promptly; if it recurs, open an AWS support case with the times and client ID.",
  },
  client_protocol_error: {
    summary:
      "AWS IoT Core closed the connection because the client broke the protocol or a limit (CLIENT_ERROR), e.g. a second CONNECT on one connection or a payload over 128 KB.",
    recommendation:
      "Check the payload sizes (at most 128 KB) and that the client sends no second CONNECT on an open connection; an SDK upgrade may be due (see build_info's sdk_version).",
  },
  nat_idle_timeout: undefined,
  keep_alive_too_long: undefined,
  network_unstable: undefined,
  aggressive_reconnect: undefined,
  fixed_session_lifetime: undefined,
};

/** The history without the drops and failures AWS explained: the pattern rules read only those. */
export function unexplained(h: ConnectionHistory): ConnectionHistory {
  const drops = h.drops.filter((d) => !decides(d));
  const failures = h.failures.filter((f) => !decides(f));
  return drops.length === h.drops.length && failures.length === h.failures.length ? h : { ...h, drops, failures };
}

/** One finding per cause AWS named, with AWS's reasons (and the other device's IP) as evidence. */
export function lifecycleFindings(h: ConnectionHistory): Finding[] {
  const byCause = new Map<CauseId, { reasons: string[]; times: number[] }>();
  for (const e of [...h.drops, ...h.failures]) {
    if (!decides(e) || !isDecisive(e.server_reason)) continue;
    const cause = DECISIVE[e.server_reason] as CauseId;
    const entry = byCause.get(cause) ?? { reasons: [], times: [] };
    entry.reasons.push(e.server_reason);
    entry.times.push(Date.parse(e.timestamp));
    byCause.set(cause, entry);
  }
  return [...byCause].map(([cause, { reasons, times }]) => {
    const text = TEXT[cause] as Text;
    const evidence = [`AWS IoT Core lifecycle events: ${countBy(reasons)} (${plural(reasons.length, "drop or failed attempt", "drops or failed attempts")})`];
    if (cause === "duplicate_client_id") evidence.push(...foreignEvidence(h, times));
    return { cause, confidence: awsConfidence(reasons.length), summary: text.summary, evidence, recommendation: text.recommendation };
  });
}

/** The other sessions with our client ID, as AWS reported them: IP address and time. */
function foreignEvidence(h: ConnectionHistory, dropTimes: readonly number[]): string[] {
  const sessions = h.foreignSessions ?? [];
  if (sessions.length === 0) return [];
  const ips = countBy(sessions.map((s) => s.ip_address));
  const last = sessions[sessions.length - 1];
  const near = dropTimes.length > 0 && last !== undefined ? ` (latest at ${last.timestamp})` : "";
  return [`another session with this client ID connected from ${ips}${near}`];
}

/** AWS's evidence that the link died (its reason, or our reconnect replacing a stale session), for the session-shape rules. */
export interface ShapeEvidence {
  /** How many drops AWS's events explain as the link dying. */
  count: number;
  /** Evidence lines; `keepAlive` is about the keep-alive (it goes with keep_alive_too_long when that is found). */
  text: string[];
  keepAlive: string | null;
}

/** AWS's "the link died" reasons and self-takeovers, as evidence for the session-shape rules. */
export function shapeEvidence(h: ConnectionHistory): ShapeEvidence | null {
  const link = h.drops.filter((d) => typeof d.server_reason === "string" && SHAPE_REASONS.has(d.server_reason));
  const self = h.drops.filter(isSelfTakeover);
  if (link.length + self.length === 0) return null;
  const text: string[] = [];
  if (link.length > 0)
    text.push(`AWS IoT Core lifecycle events: ${countBy(link.map((d) => d.server_reason ?? ""))} (the server lost the client, not the other way round)`);
  if (self.length > 0) {
    const kept = delays(self);
    text.push(
      `${plural(self.length, "DUPLICATE_CLIENTID close")} of our own stale session by our own reconnect (self-takeover, not another device)${kept === null ? "" : `: AWS kept the dead session open a median ${fmtSeconds(kept)} after the client's drop`}; the cause is what made the client reconnect`,
    );
  }
  return { count: link.length + self.length, text, keepAlive: keepAliveEvidence(h) };
}

/** The median of AWS's delays after the client's drops (s), or null. */
function delays(drops: readonly ServerSide[]): number | null {
  const ds = drops.flatMap((d) => (typeof d.server_delay_seconds === "number" ? [d.server_delay_seconds] : []));
  return ds.length === 0 ? null : median(ds);
}

/**
 * A keep-alive expiry joined to the client's drop: the path went silent. AWS closes a silent
 * connection 1.5 x keep-alive after the last packet it received; the delay after the client's
 * own drop is what AWS spent waiting, and a shorter keep-alive shortens it.
 */
function keepAliveEvidence(h: ConnectionHistory): string | null {
  const expiries = h.drops.filter((d) => d.server_outcome === "keep_alive_expiry");
  const late = delays(expiries);
  if (late === null) return null;
  const ka = h.keepAliveSeconds;
  const when =
    late >= 0
      ? `a median ${fmtSeconds(late)} after the client's drop`
      : `a median ${fmtSeconds(-late)} before the client noticed (the client's ping timeout outlasts AWS's margin)`;
  const shorter =
    ka !== null && ka > 60
      ? `; with a keep-alive of ${Math.min(300, Math.floor(ka / 2))} s AWS would notice a silent path ${fmtSeconds(1.5 * (ka - Math.min(300, Math.floor(ka / 2))))} sooner`
      : "";
  return `${plural(expiries.length, "MQTT_KEEP_ALIVE_TIMEOUT")} joined to the client's drops: the path went silent; AWS closed the session ${when}${ka !== null ? ` (it waits 1.5 x ${ka} s = ${fmtSeconds(1.5 * ka)} after the last packet)` : ""}${shorter}`;
}
