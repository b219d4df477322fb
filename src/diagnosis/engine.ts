import { isoTimestamp } from "../clock.js";
import type { ConnectionHistory } from "./history.js";
import { RULES } from "./rules.js";
import { awsConfidence, lifecycleFindings, shapeEvidence, unexplained } from "./lifecycle-rules.js";
import type { Diagnosis, Finding } from "./types.js";
import { plural } from "../text/plural.js";

/**
 * aws-crt's MQTT 3.1.1 client emits no event when an automatic reconnect fails, so the history
 * of a 3.1.1 connection has no failed attempts between a drop and the next success.
 */
export const MQTT311_BLIND_SPOT =
  "MQTT 3.1.1: aws-crt reports no event for a failed automatic reconnect, so the failed attempts of this connection are at most inferred from its reconnect backoff (an upper bound, without the SDK's error), and reconnect storms and aggressive_reconnect cannot be seen; the time to reconnect still shows how long it was down.";

/** What the rules cannot see in this history, in plain words. */
export function limitsOf(h: ConnectionHistory): string[] {
  return h.protocol === "mqtt311" ? [MQTT311_BLIND_SPOT] : [];
}

/** Fewer drops and failures than this, with no decisive signal, is too little to name a cause. */
export const MIN_EVENTS_TO_JUDGE = 3;

/**
 * AWS's reasons (lifecycle events) first: a cause AWS named is decisive and outranks what the
 * patterns read from the rest of the history; the two merge into one finding per cause. The
 * "link died" reasons join whichever session-shape finding explains them.
 */
function withLifecycle(h: ConnectionHistory, pattern: Finding[]): Finding[] {
  const out = new Map(pattern.map((f) => [f.cause, f]));
  for (const d of lifecycleFindings(h)) {
    const p = out.get(d.cause);
    out.set(d.cause, p === undefined ? d : { ...d, confidence: Math.max(d.confidence, p.confidence), evidence: [...d.evidence, ...p.evidence] });
  }
  const shape = shapeEvidence(h);
  if (shape !== null) {
    // The link died: AWS's events weigh like any reason for the finding that explains the drops.
    const lift = (f: Finding, extra: string[]): Finding => ({
      ...f,
      confidence: Math.max(f.confidence, awsConfidence(shape.count)),
      evidence: [...f.evidence, ...extra],
    });
    const keepAlive = shape.keepAlive === null ? [] : [shape.keepAlive];
    const tooLong = out.get("keep_alive_too_long");
    if (tooLong !== undefined && keepAlive.length > 0) out.set("keep_alive_too_long", { ...tooLong, evidence: [...tooLong.evidence, ...keepAlive] });
    const routed = tooLong !== undefined ? [] : keepAlive;
    const target = (["nat_idle_timeout", "network_unstable", "keep_alive_too_long", "fixed_session_lifetime"] as const)
      .map((c) => out.get(c))
      .find((f) => f !== undefined);
    if (target !== undefined) out.set(target.cause, lift(out.get(target.cause) ?? target, [...shape.text, ...routed]));
    else if (shape.count >= MIN_EVENTS_TO_JUDGE) out.set("network_unstable", lift(LINK_LOST, [...shape.text, ...routed]));
  }
  return [...out.values()];
}

const LINK_LOST: Finding = {
  cause: "network_unstable",
  confidence: 0.5,
  summary:
    "AWS IoT Core lost the connection (CONNECTION_LOST, MQTT_KEEP_ALIVE_TIMEOUT, or our reconnect replaced a stale session): the path between client and AWS breaks, with no regular session length pointing at an idle timeout.",
  evidence: [],
  recommendation:
    "Check the client's network (signal, NAT, proxies, firewall). A keep-alive timeout means AWS heard nothing for 1.5 x keep-alive: an uplink that stalls or a middlebox that drops idle connections.",
};

/** Pure: the likely causes of a connection's drops, most likely first. */
export function diagnose(h: ConnectionHistory): Diagnosis {
  const limits = limitsOf(h);
  const base = { connection: h.connection, evaluated_at: isoTimestamp(h.nowMs), ...(limits.length > 0 ? { limits } : {}) };
  // What AWS did not explain, once for every rule (each rule reads the whole history).
  const rest = unexplained(h);
  const findings = withLifecycle(
    h,
    RULES.map((rule) => rule(rest)).filter((f) => f !== undefined),
  )
    .sort((a, b) => b.confidence - a.confidence)
    .map((f) => ({ ...f, confidence: Math.round(f.confidence * 100) / 100 }));
  const events = h.drops.length + h.failures.length;
  if (findings.length > 0) {
    return {
      ...base,
      status: "findings",
      findings,
      note: `${plural(findings.length, "likely cause")} from ${plural(h.drops.length, "drop")} and ${plural(h.failures.length, "failed attempt")}`,
    };
  }
  if (events === 0 && h.connections.length > 0) {
    return { ...base, status: "healthy", findings, note: "no drops or failed attempts recorded" };
  }
  if (events < MIN_EVENTS_TO_JUDGE) {
    return {
      ...base,
      status: "insufficient_data",
      findings,
      note: `only ${plural(events, "drop or failed attempt", "drops or failed attempts")} and ${plural(h.connections.length, "connection")}: too little to name a cause`,
    };
  }
  // Point at where the events are: drops in `recent_drops`, failed attempts in `connection_failures.recent`.
  const where = [...(h.drops.length > 0 ? ["recent_drops"] : []), ...(h.failures.length > 0 ? ["connection_failures.recent"] : [])].join(" and ");
  return {
    ...base,
    status: "insufficient_data",
    findings,
    note: `${plural(events, "drop or failed attempt", "drops or failed attempts")} with no recognisable pattern; see ${where} for their error names`,
  };
}
