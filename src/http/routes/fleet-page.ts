import type { FastifyInstance } from "fastify";
import { devicePage } from "../../fleet/device-list.js";
import type { FleetState } from "../../fleet/fleet-state.js";
import { plural } from "../../text/plural.js";
import { esc } from "./html.js";
import { NO_QUERY } from "./query.js";

/** Devices listed per cause on the page (the rest are a link away). */
const TOP_PER_CAUSE = 10;

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:60rem;color:#222}table{border-collapse:collapse;font-size:.85rem;margin-bottom:1rem}
td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left}nav a{margin-right:1rem}`;

const deviceLink = (id: string) => `<a href="/fleet/devices/${encodeURIComponent(id)}">${esc(id)}</a>`;

/** The fleet view as HTML: devices by cause, each cause's devices with the most drops (linked to their detail), AWS's reasons. */
export function fleetPageHtml(state: FleetState): string {
  const causes = [...state.devicesByCause].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  let connected = 0;
  for (const { device } of state.devices()) if (device.connected) connected++;
  const causeRows = causes.map(([cause, n]) => `<tr><td><a href="/fleet/devices?cause=${encodeURIComponent(cause)}">${esc(cause)}</a></td><td>${n}</td></tr>`).join("");
  const sections = causes
    .filter(([cause]) => cause !== "healthy")
    .map(([cause]) => {
      const page = devicePage(state, { cause, sort: "drops", limit: TOP_PER_CAUSE });
      const rows = page.devices.map((d) => `<tr><td>${deviceLink(d.client_id)}</td><td>${d.drops}</td><td>${d.connected ? "connected" : "disconnected"}</td></tr>`).join("");
      return `<h3>${esc(cause)}</h3><table><thead><tr><th>device</th><th>drops</th><th>now</th></tr></thead><tbody>${rows}</tbody></table>`;
    })
    .join("\n");
  const reasons = [...state.awsReasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `<tr><td>${esc(r)}</td><td>${n}</td></tr>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mqtt-diagnostics-exporter: fleet</title><style>${STYLE}</style></head>
<body><h1>Fleet</h1>
<nav><a href="/">status</a><a href="/fleet/devices">/fleet/devices</a><a href="/metrics">/metrics</a></nav>
<p>${plural(state.size, "device")}, ${connected} connected now; ${plural(state.size - causes.reduce((a, [, n]) => a + n, 0), "device")} not diagnosed yet.</p>
<h2>Devices by first cause</h2>
<table><thead><tr><th>cause</th><th>devices</th></tr></thead><tbody>${causeRows || '<tr><td colspan="2">no device diagnosed yet</td></tr>'}</tbody></table>
<h2>Most drops, by cause</h2>
${sections || "<p>No device with a problem.</p>"}
<h2>AWS's reasons</h2>
<table><thead><tr><th>reason</th><th>events</th></tr></thead><tbody>${reasons || '<tr><td colspan="2">none</td></tr>'}</tbody></table>
</body></html>`;
}

/** `GET /fleet`: the fleet view for people without Grafana (server-rendered, no JavaScript). */
export function fleetPageRoute(app: FastifyInstance, state: FleetState): void {
  app.get("/fleet", { schema: { querystring: NO_QUERY } }, async (_request, reply) => reply.type("text/html; charset=utf-8").send(fleetPageHtml(state)));
}
