import { errorText } from "./error-info.js";
import { RECONNECT_ATTEMPT_BUCKETS } from "./export-document.js";
import type { ExportDocument } from "./types.js";
import { escapeControls } from "../text/escape-controls.js";

const RULE = "=".repeat(70);
const THIN = "-".repeat(70);
const f1 = (n: number | null) => (n === null ? "n/a" : `${n.toFixed(1)}s`);

/** AWS's fields as one line of text: control characters written out visibly (AWS's identifiers are any string). */
const shown = escapeControls;

const OUTCOME_TEXT: Readonly<Record<string, string>> = {
  keep_alive_expiry: "keep-alive expiry",
  self_takeover: "our reconnect replaced the stale session",
  foreign_takeover: "another device took the client ID",
  closed: "closed",
};

/** ` [AWS: REASON, what it means, +597.0s]` after a drop AWS's event joined; nothing otherwise. */
function awsSide(d: ExportDocument["recent_drops"][number]): string {
  if (d.server_reason === null) return "";
  const outcome = d.server_outcome === null || d.server_outcome === "closed" ? "" : `, ${OUTCOME_TEXT[d.server_outcome] ?? d.server_outcome}`;
  const tenths = d.server_delay_seconds === null ? null : Math.round(d.server_delay_seconds * 10) / 10;
  const delay = tenths === null ? "" : `, ${tenths < 0 ? "" : "+"}${tenths.toFixed(1)}s`;
  return `  [AWS: ${shown(d.server_reason)}${outcome}${delay}]`;
}

/** The lifecycle section, when AWS said anything about the connection. */
function lifecycleLines(l: ExportDocument["lifecycle"]): string[] {
  const types = Object.entries(l.events_by_type);
  if (types.length === 0) return [];
  const out = [THIN, "AWS IOT CORE LIFECYCLE EVENTS", THIN, `Events: ${types.map(([k, v]) => `${k} ${v}`).join(", ")}`];
  const reasons = Object.entries(l.disconnect_reasons).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) out.push(`Disconnect reasons: ${reasons.map(([k, v]) => `${shown(k)} ${v}`).join(", ")}`);
  if (l.clock_offset_ms !== null)
    out.push(`Clock offset (AWS minus client): ${(l.clock_offset_ms / 1000).toFixed(3)}s from ${l.clock_offset_samples} paired connects`);
  if (l.clock_offset_warning !== null) out.push(`  Warning: ${l.clock_offset_warning}`);
  out.push(`Other devices with this client ID: ${l.foreign_sessions.total}`);
  for (const f of l.foreign_sessions.recent.slice(-5)) out.push(`  ${f.timestamp}  from ${shown(f.ip_address)} (session ${shown(f.session_identifier)})`);
  for (const h of l.half_open.slice(-5))
    out.push(`Half-open: ${h.timestamp}  ${shown(h.disconnect_reason)} (session ${shown(h.session_identifier)}): the client has not seen it end`);
  for (const u of l.unattributed.slice(-5)) out.push(`Unattributed: ${u.timestamp}  ${shown(u.disconnect_reason)} (session ${shown(u.session_identifier)})`);
  return out;
}

/** The original module's `print_summary`, as text, from its export document: what `replay --format text` prints. */
export function formatSummary(doc: ExportDocument): string {
  const m = doc.metrics;
  const out: string[] = [
    RULE,
    "MQTT CONNECTION DIAGNOSTICS SUMMARY",
    RULE,
    `Connection: ${doc.connection}   (as of ${doc.timestamp})`,
    `Total Connections: ${m.total_connections}`,
    `Total Connection Drops: ${m.total_connection_drops}`,
    `Successful Reconnections: ${m.connection_recovered}`,
    `Total Reconnection Attempts: ${m.total_reconnect_attempts}`,
    `Failed Connection Attempts: ${doc.connection_failures.total}`,
    THIN,
    "SESSION DURATION STATISTICS",
    THIN,
  ];
  if (doc.session_history_summary.total_sessions > 0) {
    out.push(
      `Longest Session: ${f1(m.longest_session_seconds)}`,
      `Shortest Session: ${f1(m.shortest_session_seconds)}`,
      `Average Session: ${f1(m.average_session_seconds)}`,
    );
  }
  out.push(`Current Session Uptime: ${f1(m.current_session_uptime_seconds)}`);
  const byError = Object.entries(m.connection_drops_by_error).sort((a, b) => b[1] - a[1]);
  if (byError.length > 0) {
    out.push(THIN, "CONNECTION DROPS BY ERROR TYPE", THIN);
    for (const [name, count] of byError) out.push(`  ${name}: ${count}`);
  }
  const reasons = Object.entries(doc.server_disconnects_by_reason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) {
    out.push(THIN, "SERVER DISCONNECT REASONS", THIN);
    for (const [name, count] of reasons) out.push(`  ${name}: ${count}`);
  }
  const dist = Object.entries(m.reconnection_attempts_distribution);
  if (dist.length > 0) {
    out.push(THIN, "RECONNECTION ATTEMPTS DISTRIBUTION", THIN);
    for (const bucket of RECONNECT_ATTEMPT_BUCKETS) {
      const n = m.reconnection_attempts_distribution[bucket];
      if (n !== undefined) out.push(`  Attempts ${bucket}: ${n}`);
    }
  }
  out.push(THIN, "MESSAGE STATISTICS", THIN, `Messages Published: ${m.messages_published}`, `Messages Queued: ${m.messages_queued}`);
  const recent = doc.recent_drops.slice(-5);
  if (recent.length > 0) {
    out.push(THIN, "RECENT DROPS", THIN);
    for (const d of recent) {
      const lasted = d.duration_connected_seconds === null ? "" : ` after ${f1(d.duration_connected_seconds)}`;
      out.push(`  ${d.timestamp}  ${errorText(d)}${lasted}${awsSide(d)}`);
    }
  }
  out.push(...lifecycleLines(doc.lifecycle));
  out.push(RULE);
  return `${out.join("\n")}\n`;
}
