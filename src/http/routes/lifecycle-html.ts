import type { MqttDiagnosticsCollector } from "../../collector/collector.js";
import { isoTimestamp } from "../../clock.js";
import { clockOffsetWarning } from "../../aws-join/export-section.js";
import { esc } from "./html.js";

/** Most foreign sessions and half-open closes listed per connection (the newest). */
const MAX_LISTED = 10;

/**
 * AWS IoT Core's side, for the status page: another device using this client ID (with the IP
 * address AWS saw) and sessions AWS closed that the client has not noticed. Empty when AWS said
 * nothing unusual.
 */
export function lifecycleHtml(c: MqttDiagnosticsCollector): string {
  if (!c.hasLifecycleEvents) return "";
  const join = c.lifecycleJoin();
  const foreign = join.foreign.slice(-MAX_LISTED).reverse();
  const halfOpen = join.halfOpen.slice(-MAX_LISTED).reverse();
  const parts: string[] = [];
  const warning = clockOffsetWarning(c.lifecycleClockOffsetMs);
  if (warning !== null) parts.push(`<p class="limits">${esc(warning)}</p>`);
  if (foreign.length > 0) {
    parts.push(
      `<p class="foreign">Another device is using this client ID (AWS IoT Core lifecycle events):</p><ul class="foreign">${foreign
        .map((e) => `<li>${esc(isoTimestamp(e.timestamp))}: connected from <strong>${esc(e.ipAddress)}</strong> (principal ${esc(e.principalIdentifier)})</li>`)
        .join("")}</ul>`,
    );
  }
  if (halfOpen.length > 0) {
    parts.push(
      `<p class="limits">AWS IoT Core closed ${halfOpen.length === 1 ? "a session" : "sessions"} the client has not noticed (half-open): ${halfOpen
        .map((e) => `${esc(isoTimestamp(e.timestamp))} ${esc(e.disconnectReason)}`)
        .join(", ")}</p>`,
    );
  }
  return parts.join("\n");
}

/**
 * The drop table's "AWS reason" cell: AWS's lifecycle reason joined to the drop, or a dash; a
 * keep-alive expiry says how late AWS's event came, a self-takeover that the newcomer was ours.
 */
export function serverReasonCell(c: MqttDiagnosticsCollector, drop: object): string {
  // Without AWS events there is nothing to join (and the join reads every retained event).
  if (!c.hasLifecycleEvents) return "<td>—</td>";
  const o = c.serverOutcomeOf(drop);
  const delay = o === null ? "" : `${o.delayMs >= 0 ? "+" : "−"}${Math.abs(Math.round(o.delayMs / 1000))} s`;
  const note = o?.outcome === "keep_alive_expiry" ? ` (AWS ${delay})` : o?.outcome === "self_takeover" ? ` (our own reconnect; AWS ${delay})` : "";
  return `<td>${esc(c.serverReasonOf(drop) ?? "—")}${esc(note)}</td>`;
}
