import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import type { MqttDiagnosticsCollector } from "../../collector/collector.js";
import type { CollectorRegistry } from "../../collector/registry.js";
import type { Diagnoser } from "../../diagnosis/diagnoser.js";
import type { Diagnosis } from "../../diagnosis/types.js";
import { esc } from "./html.js";
import { lifecycleHtml, serverReasonCell } from "./lifecycle-html.js";
import { NO_QUERY } from "./query.js";
import { overviewHtml, overviewRow, planPage } from "./status-overview.js";
import { inSlices } from "../../metrics/slices.js";
import { recordStops, type StopLog } from "./stop-log.js";
import { TIMELINE_MAX_EVENTS, timelineSvg } from "./timeline.js";
import { plural } from "../../text/plural.js";

/** The diagnosis in words: findings with their evidence and what to change, or the status. */
export function verdict(d: Diagnosis | undefined): string {
  if (d === undefined) return "";
  const limits = (d.limits ?? []).map((l) => `<p class="limits">${esc(l)}</p>`).join("");
  if (d.status !== "findings") return `${limits}<p class="verdict ${d.status}">${d.status === "healthy" ? "Healthy" : "Not enough data"}: ${esc(d.note)}</p>`;
  return `${limits}<ol class="findings">${d.findings
    .map(
      (f) =>
        `<li><strong>${esc(f.cause)}</strong> (confidence ${f.confidence.toFixed(2)}): ${esc(f.summary)}<ul>${f.evidence.map((e) => `<li>${esc(e)}</li>`).join("")}</ul><p><em>What to change:</em> ${esc(f.recommendation)}</p></li>`,
    )
    .join("")}</ol>`;
}

/** The routes served beside the page, under the prefix the page's links need. */
export interface PageLinks {
  prefix: string;
  metrics: boolean;
  diagnostics: boolean;
  diagnosis: boolean;
  health: boolean;
}

const ALL_LINKS: PageLinks = { prefix: "", metrics: true, diagnostics: true, diagnosis: true, health: true };

function connectionLinks(c: MqttDiagnosticsCollector, links: PageLinks): string {
  const q = `?connection=${encodeURIComponent(c.connection)}`;
  const parts = [
    links.diagnostics ? `<a href="${links.prefix}/diagnostics.json${q}">diagnostics.json</a>` : "",
    links.diagnosis ? `<a href="${links.prefix}/diagnosis.json${q}">diagnosis.json</a>` : "",
  ];
  return parts.filter((p) => p !== "").join(" · ");
}

function nav(links: PageLinks): string {
  const paths = [
    links.metrics ? ["/metrics"] : [],
    links.diagnostics ? ["/diagnostics.json"] : [],
    links.diagnosis ? ["/diagnosis.json"] : [],
    links.health ? ["/healthz", "/readyz"] : [],
  ].flat();
  return `<nav>${paths.map((p) => `<a href="${links.prefix}${p}">${p}</a>`).join("")}</nav>`;
}

function connectionSection(c: MqttDiagnosticsCollector, d: Diagnosis | undefined, stops: StopLog, links: PageLinks): string {
  const m = c.totals;
  const rows = c
    .getRecentDrops(10)
    .reverse()
    .map(
      (r) =>
        `<tr><td>${esc(r.timestamp)}</td><td>${esc(r.error_name ?? "—")}</td><td>${r.error_code ?? "—"}</td><td>${r.duration_connected_seconds === null ? "—" : r.duration_connected_seconds.toFixed(1)}</td><td>${r.disconnect_reason_code ?? "—"}</td>${serverReasonCell(c, r)}</tr>`,
    )
    .join("");
  const svg = timelineSvg({
    connection: c.connection,
    // Only what the timeline draws is copied out of the ring buffers, whatever the retention.
    connections: c.getRecentConnections(TIMELINE_MAX_EVENTS),
    drops: c.getRecentDrops(TIMELINE_MAX_EVENTS),
    stops: stops.stopsOf(c.connection),
    connected: c.isConnected,
    nowMs: c.clock.now(),
  });
  return `<section id="${esc(c.connection)}"><h2>${esc(c.connection)} <span class="${c.isConnected ? "up" : "down"}">${c.isConnected ? "connected" : "disconnected"}</span></h2>
${verdict(d)}
${lifecycleHtml(c)}
${svg}
<p class="legend">Green: connected; grey: connected, end not recorded; red: drop; grey tick: stopped. At most the last ${TIMELINE_MAX_EVENTS} events of each kind are drawn.</p>
<p>${plural(m.total_connections, "connection")}, ${plural(m.connection_recovered, "reconnection")}, ${plural(m.total_connection_drops, "drop")}, ${plural(c.connectionFailures, "failed attempt")}.
${connectionLinks(c, links)}</p>
<table><thead><tr><th>drop at</th><th>error_name</th><th>error_code</th><th>session (s)</th><th>DISCONNECT reason</th><th>AWS reason</th></tr></thead><tbody>${rows || '<tr><td colspan="6">no drops recorded</td></tr>'}</tbody></table></section>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:60rem;color:#222}h2 span{font-size:.8rem;padding:.1rem .4rem;border-radius:.3rem}
.up{background:#d8f5d8}.down{background:#f8d7d7}.session{fill:#3a9d4a}.unknown{fill:#b8b8b8}.drop{stroke:#d33;stroke-width:2}.stop{stroke:#666;stroke-width:2}
.legend{font-size:.75rem;color:#555;margin-top:0}.limits{background:#fff4d6;padding:.3rem .5rem}table{border-collapse:collapse;font-size:.85rem}
td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left}td.up,td.down{font-size:.8rem}.foreign{background:#fde2e2;padding:.3rem .5rem}.findings li{margin-bottom:.4rem}nav a{margin-right:1rem}`;

/** More of the page, above the connections (the fleet's section in fleet mode): bounded HTML. */
export type StatusSection = () => string;

/** `GET /`: a status page for people without Grafana. Server-rendered, readable without JavaScript. */
export function statusPageRoute(
  app: FastifyInstance,
  registry: CollectorRegistry,
  diagnoser: Diagnoser | undefined,
  links: PageLinks = ALL_LINKS,
  extra: readonly StatusSection[] = [],
): void {
  const stops = recordStops(registry, TIMELINE_MAX_EVENTS);
  app.addHook("onClose", (_instance, done) => {
    stops.close();
    done();
  });
  app.get("/", { schema: { querystring: NO_QUERY } }, async (_request, reply) => {
    // Bounded whatever the number of connections (see planPage), and written in slices that
    // yield to the event loop: /healthz and scrapes are answered while the page is rendered.
    const plan = planPage(registry.all());
    const detailed = new Set(plan.detailed);
    const rows: string[] = [];
    await inSlices(plan.overview, (c) => void rows.push(overviewRow(c, detailed.has(c), connectionLinks(c, links))));
    const sections: string[] = [];
    await inSlices(
      plan.detailed,
      async (c) => {
        const d = diagnoser?.(c.connection);
        // The diagnosis and the section are the page's two large pieces: /healthz gets in between.
        await yieldToLoop();
        sections.push(connectionSection(c, d, stops, links));
      },
      0,
    );
    const overview = plan.overview.length > 0 ? `${overviewHtml(plan, rows, links)}\n` : "";
    const more = extra.map((section) => `${section()}\n`).join("");
    const none = more === "" ? "<p>No connections configured.</p>" : "<p>No watched connection: this process reads the fleet above.</p>";
    return reply.type("text/html; charset=utf-8").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mqtt-diagnostics-exporter</title><style>${STYLE}</style></head>
<body><h1>mqtt-diagnostics-exporter</h1>
${nav(links)}
${more}${overview}${sections.join("\n") || none}
</body></html>`);
  });
}
