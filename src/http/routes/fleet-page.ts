import type { FastifyInstance } from "fastify";
import type { FleetState } from "../../fleet/fleet-state.js";
import { plural } from "../../text/plural.js";
import { causeChartHtml } from "./cause-chart.js";
import type { CauseHistory } from "./cause-history.js";
import { fleetOverview } from "./fleet-overview.js";
import { causeTable, deviceTable, FLEET_STYLE } from "./fleet-status.js";
import { esc } from "./html.js";
import { NO_QUERY } from "./query.js";

/** Devices listed overall, and per cause, on the page (the rest are on /fleet/devices). */
export const FLEET_PAGE_TOP = 20;
export const TOP_PER_CAUSE = 10;

function causesOverTime(history: CauseHistory | undefined): string {
  if (history === undefined) return "<p>Not recorded by this process: <code>mqtt_fleet_devices{cause}</code> in Prometheus has the history.</p>";
  const samples = history.samples();
  const every = plural(Math.round(history.intervalMs / 1000), "second");
  const chart = causeChartHtml(samples);
  if (chart === "")
    return `<p>Devices by first cause, sampled every ${every} by this replica since it started: the chart appears after the second sample. Prometheus keeps the longer history (<code>mqtt_fleet_devices{cause}</code>).</p>`;
  return `${chart}\n<p class="legend">Devices by first cause, sampled every ${every} by this replica (the last ${plural(samples.length, "sample")}; ${plural(history.capacity, "sample")} at most). Prometheus keeps the longer history, summed over replicas (<code>mqtt_fleet_devices{cause}</code>).</p>`;
}

/** The fleet view as HTML: causes over time, devices by cause, the devices with the most drops overall and per cause (linked to their detail), AWS's reasons. */
export function fleetPageHtml(state: FleetState, history?: CauseHistory): string {
  const o = fleetOverview(state, FLEET_PAGE_TOP, TOP_PER_CAUSE);
  const sections = o.byCause
    .filter(([cause]) => o.topByCause.has(cause))
    .map(([cause]) => `<h3>${esc(cause)}</h3>${deviceTable(o.topByCause.get(cause) ?? [], false)}`)
    .join("\n");
  const reasons = [...state.awsReasons]
    .sort((a, b) => b[1] - a[1])
    .map(([r, n]) => `<tr><td>${esc(r)}</td><td>${n}</td></tr>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mqtt-diagnostics-exporter: fleet</title><style>${FLEET_STYLE}</style></head>
<body><h1>Fleet</h1>
<nav><a href="/">status</a><a href="/fleet/devices">/fleet/devices</a><a href="/metrics">/metrics</a></nav>
<p>${plural(o.devices, "device")}, ${o.connected} connected now; ${plural(o.undiagnosed, "device")} not diagnosed yet. Each device links to its detail: its diagnosis, timeline and drops.</p>
<h2>Causes over time</h2>
${causesOverTime(history)}
<h2>Devices by first cause</h2>
${causeTable(o.byCause)}
<h2>Most drops</h2>
${o.top.length > 0 ? deviceTable(o.top, true) : "<p>No device has dropped yet.</p>"}
<h2>Most drops, by cause</h2>
${sections || "<p>No device with a problem.</p>"}
<h2>AWS's reasons</h2>
<table><thead><tr><th>reason</th><th>events</th></tr></thead><tbody>${reasons || '<tr><td colspan="2">none</td></tr>'}</tbody></table>
</body></html>`;
}

/** `GET /fleet`: the fleet view for people without Grafana (server-rendered, no JavaScript). */
export function fleetPageRoute(app: FastifyInstance, state: FleetState, history?: CauseHistory): void {
  app.get("/fleet", { schema: { querystring: NO_QUERY } }, async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(fleetPageHtml(state, history)),
  );
}
