import { errorText, RECONNECT_ATTEMPT_BUCKETS } from "./constants.js";
import type { ExportDocument } from "./types.js";

const RULE = "=".repeat(70);
const THIN = "-".repeat(70);
const f1 = (n: number | null) => (n === null ? "n/a" : `${n.toFixed(1)}s`);

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
      out.push(`  ${d.timestamp}  ${errorText(d)}${lasted}`);
    }
  }
  out.push(RULE);
  return `${out.join("\n")}\n`;
}
