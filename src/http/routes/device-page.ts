import type { DeviceDetail } from "../../fleet/device-view.js";
import { plural } from "../../text/plural.js";
import { devicePath } from "./fleet-overview.js";
import { FLEET_STYLE } from "./fleet-status.js";
import { esc } from "./html.js";
import { verdict } from "./status-page.js";
import { timelineSvg } from "./timeline.js";

const byTime = <T extends { timestamp: string }>(xs: readonly T[]) => [...xs].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));

function dropRows(d: DeviceDetail): string {
  return [...d.recent_drops]
    .reverse()
    .map(
      (r) =>
        `<tr><td>${esc(r.timestamp)}</td><td>${esc(r.error_name ?? "—")}</td><td>${r.duration_connected_seconds === null ? "—" : r.duration_connected_seconds.toFixed(1)}</td><td>${esc(r.server_reason ?? "—")}</td></tr>`,
    )
    .join("");
}

/**
 * A device's detail as a page (`/fleet/devices/{clientId}` asked for by a browser): its first
 * cause and the diagnosis behind it, its sessions and drops on a timeline, its recent drops with
 * AWS's reason joined, and its counts; the same data as the JSON document, which it links to.
 */
export function devicePageHtml(d: DeviceDetail, nowMs: number): string {
  const f = d.fleet;
  const reasons = Object.entries(f.aws_reasons)
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `<tr><td>${esc(r)}</td><td>${n}</td></tr>`)
    .join("");
  const svg = timelineSvg({
    connection: f.client_id,
    connections: byTime(d.recent_connections),
    drops: byTime(d.recent_drops),
    stops: [],
    connected: f.connected,
    nowMs,
  });
  const evidence =
    f.last_seq > 0
      ? `ships its own evidence (last seq ${f.last_seq}, ${plural(f.discarded_total, "event")} its backlog discarded)`
      : "ships no evidence: what AWS's lifecycle events imply";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(f.client_id)}: mqtt-diagnostics-exporter fleet</title><style>${FLEET_STYLE}</style></head>
<body><h1>${esc(f.client_id)} <span class="${f.connected ? "up" : "down"}">${f.connected ? "connected" : "disconnected"}</span></h1>
<nav><a href="/">status</a><a href="/fleet">fleet</a><a href="/fleet/devices?cause=${encodeURIComponent(f.cause)}">devices with this cause</a><a class="json" href="${devicePath(f.client_id)}?format=json">JSON</a></nav>
<p>First cause: <strong class="cause">${esc(f.cause)}</strong>. ${plural(f.drops, "drop")}; transport ${esc(f.transport ?? "unknown")}; ${evidence}.</p>
${verdict(d.diagnosis)}
${svg}
<p class="legend">Green: connected; grey: connected, end not recorded; red: drop. From the device's newest events only (the fleet keeps a few per device).</p>
<h2>Recent drops</h2>
<table class="drops"><thead><tr><th>drop at</th><th>error_name</th><th>session (s)</th><th>AWS reason</th></tr></thead><tbody>${dropRows(d) || '<tr><td colspan="4">no drops recorded</td></tr>'}</tbody></table>
<h2>AWS's reasons</h2>
<table><thead><tr><th>reason</th><th>events</th></tr></thead><tbody>${reasons || '<tr><td colspan="2">none</td></tr>'}</tbody></table>
</body></html>`;
}
