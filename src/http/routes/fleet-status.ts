import type { FleetState } from "../../fleet/fleet-state.js";
import { plural } from "../../text/plural.js";
import { devicePath, fleetOverview, type FleetRow } from "./fleet-overview.js";
import { esc } from "./html.js";

/** The fleet pages' stylesheet (`/fleet`, a device's page; the status page's fleet section uses the status page's). */
export const FLEET_STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:60rem;color:#222}table{border-collapse:collapse;font-size:.85rem;margin-bottom:1rem}
td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left}nav a{margin-right:1rem}.up{background:#d8f5d8}.down{background:#f8d7d7}
h1 span{font-size:.9rem;padding:.1rem .4rem;border-radius:.3rem}.session{fill:#3a9d4a}.unknown{fill:#b8b8b8}.drop{stroke:#d33;stroke-width:2}.stop{stroke:#666;stroke-width:2}
.limits{background:#fff4d6;padding:.3rem .5rem}.findings li{margin-bottom:.4rem}ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.8rem;font-size:.8rem}
.legend{font-size:.75rem;color:#555}.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}`;

/** Devices listed on the status page (the rest are on `/fleet` and `/fleet/devices`). */
export const STATUS_TOP_DEVICES = 10;

/** A table of devices, each linked to its detail. */
export function deviceTable(rows: readonly FleetRow[], withCause: boolean): string {
  const body = rows
    .map(
      (d) =>
        `<tr><td><a href="${devicePath(d.client_id)}">${esc(d.client_id)}</a></td>${withCause ? `<td>${esc(d.cause ?? "not diagnosed yet")}</td>` : ""}<td>${d.drops}</td><td class="${d.connected ? "up" : "down"}">${d.connected ? "connected" : "disconnected"}</td></tr>`,
    )
    .join("");
  return `<table class="devices"><thead><tr><th>device</th>${withCause ? "<th>first cause</th>" : ""}<th>drops</th><th>now</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** Devices by first cause, each cause linked to its devices (JSON, one page). */
export function causeTable(byCause: readonly [string, number][]): string {
  const rows = byCause
    .map(([cause, n]) => `<tr><td><a href="/fleet/devices?cause=${encodeURIComponent(cause)}">${esc(cause)}</a></td><td>${n}</td></tr>`)
    .join("");
  return `<table class="causes"><thead><tr><th>first cause</th><th>devices</th></tr></thead><tbody>${rows || '<tr><td colspan="2">no device diagnosed yet</td></tr>'}</tbody></table>`;
}

/**
 * The fleet's section of the status page `/` (fleet mode): devices known and connected, devices
 * by first cause, the devices with the most drops (each linked to its detail), and a link to
 * `/fleet`. Its size is bounded (the causes, STATUS_TOP_DEVICES rows) whatever the fleet's.
 */
export function fleetStatusSection(state: FleetState): string {
  const o = fleetOverview(state, STATUS_TOP_DEVICES);
  const top = o.top.length > 0 ? `<h3>Most drops</h3>\n${deviceTable(o.top, true)}` : "<p>No device has dropped yet.</p>";
  return `<section id="fleet"><h2>Fleet</h2>
<p>${plural(o.devices, "device")} known, ${o.connected} connected now${o.undiagnosed > 0 ? `; ${plural(o.undiagnosed, "device")} not diagnosed yet` : ""}. <a href="/fleet">The fleet view</a> (causes over time, the worst devices of each cause, AWS's reasons).</p>
${causeTable(o.byCause)}
${top}</section>`;
}
