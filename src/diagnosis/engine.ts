import { isoTimestamp } from "../collector/clock.js";
import type { ConnectionHistory } from "./history.js";
import { limitsOf } from "./limits.js";
import { RULES } from "./rules.js";
import type { Diagnosis } from "./types.js";
import { plural } from "../text/plural.js";

/** Fewer drops and failures than this, with no decisive signal, is too little to name a cause. */
export const MIN_EVENTS_TO_JUDGE = 3;

/** Pure: the likely causes of a connection's drops, most likely first. */
export function diagnose(h: ConnectionHistory): Diagnosis {
  const limits = limitsOf(h);
  const base = { connection: h.connection, evaluated_at: isoTimestamp(h.nowMs), ...(limits.length > 0 ? { limits } : {}) };
  const findings = RULES.map((rule) => rule(h))
    .filter((f) => f !== undefined)
    .sort((a, b) => b.confidence - a.confidence)
    .map((f) => ({ ...f, confidence: Math.round(f.confidence * 100) / 100 }));
  const events = h.drops.length + h.failures.length;
  if (findings.length > 0) {
    return { ...base, status: "findings", findings, note: `${plural(findings.length, "likely cause")} from ${plural(h.drops.length, "drop")} and ${plural(h.failures.length, "failed attempt")}` };
  }
  if (events === 0 && h.connections.length > 0) {
    return { ...base, status: "healthy", findings, note: "no drops or failed attempts recorded" };
  }
  if (events < MIN_EVENTS_TO_JUDGE) {
    return { ...base, status: "insufficient_data", findings, note: `only ${plural(events, "drop or failed attempt", "drops or failed attempts")} and ${plural(h.connections.length, "connection")}: too little to name a cause` };
  }
  // Point at where the events are: drops in `recent_drops`, failed attempts in `connection_failures.recent`.
  const where = [...(h.drops.length > 0 ? ["recent_drops"] : []), ...(h.failures.length > 0 ? ["connection_failures.recent"] : [])].join(" and ");
  return { ...base, status: "insufficient_data", findings, note: `${plural(events, "drop or failed attempt", "drops or failed attempts")} with no recognisable pattern; see ${where} for their error names` };
}
