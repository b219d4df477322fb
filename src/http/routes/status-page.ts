import type { FastifyInstance } from "fastify";
import type { MqttDiagnosticsCollector } from "../../collector/collector.js";
import type { CollectorRegistry } from "../../collector/registry.js";
import type { Diagnoser } from "../../diagnosis/diagnoser.js";
import type { Diagnosis } from "../../diagnosis/types.js";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const WIDTH = 760;
const HEIGHT = 46;

/**
 * Sessions (green bars) and drops (red ticks) over the retained history, as inline SVG so the
 * page needs no script and no build step.
 */
export function timelineSvg(c: MqttDiagnosticsCollector, nowMs: number): string {
  const connections = c.getRecentConnections(c.maxEventsRetained);
  const drops = c.getRecentDrops(c.maxEventsRetained);
  const times = [...connections.map((e) => Date.parse(e.timestamp)), ...drops.map((d) => Date.parse(d.timestamp))];
  const start = times.length > 0 ? Math.min(...times) : nowMs - 3_600_000;
  const span = Math.max(1, nowMs - start);
  const x = (t: number) => ((t - start) / span) * (WIDTH - 2) + 1;
  const events = [
    ...connections.map((e) => ({ t: Date.parse(e.timestamp), up: true, label: e.event_type })),
    ...drops.map((d) => ({ t: Date.parse(d.timestamp), up: false, label: d.error_name ?? (d.error_message !== null ? "unknown error" : "no error") })),
  ].sort((a, b) => a.t - b.t);
  let bars = "";
  let ticks = "";
  let openAt: number | undefined;
  for (const e of events) {
    if (e.up) openAt ??= e.t;
    else {
      if (openAt !== undefined) bars += `<rect class="session" x="${x(openAt).toFixed(1)}" y="10" width="${Math.max(1, x(e.t) - x(openAt)).toFixed(1)}" height="18"/>`;
      openAt = undefined;
      ticks += `<line class="drop" x1="${x(e.t).toFixed(1)}" x2="${x(e.t).toFixed(1)}" y1="4" y2="34"><title>${esc(new Date(e.t).toISOString())} ${esc(e.label)}</title></line>`;
    }
  }
  if (openAt !== undefined && c.isConnected) bars += `<rect class="session" x="${x(openAt).toFixed(1)}" y="10" width="${Math.max(1, x(nowMs) - x(openAt)).toFixed(1)}" height="18"/>`;
  return `<svg class="timeline" role="img" aria-label="Sessions and drops of ${esc(c.connection)}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
<rect x="0" y="0" width="${WIDTH}" height="38" fill="#f4f4f4"/>${bars}${ticks}
<text x="2" y="${HEIGHT - 1}" font-size="10">${esc(new Date(start).toISOString())}</text><text x="${WIDTH - 2}" y="${HEIGHT - 1}" font-size="10" text-anchor="end">now</text></svg>`;
}

function verdict(d: Diagnosis | undefined): string {
  if (d === undefined) return "";
  if (d.status !== "findings") return `<p class="verdict ${d.status}">${d.status === "healthy" ? "Healthy" : "Not enough data"}: ${esc(d.note)}</p>`;
  return `<ol class="findings">${d.findings
    .map((f) => `<li><strong>${esc(f.cause)}</strong> (confidence ${f.confidence.toFixed(2)}): ${esc(f.summary)}<ul>${f.evidence.map((e) => `<li>${esc(e)}</li>`).join("")}</ul><p><em>What to change:</em> ${esc(f.recommendation)}</p></li>`)
    .join("")}</ol>`;
}

function connectionSection(c: MqttDiagnosticsCollector, d: Diagnosis | undefined, nowMs: number): string {
  const m = c.totals;
  const rows = c
    .getRecentDrops(10)
    .reverse()
    .map((r) => `<tr><td>${esc(r.timestamp)}</td><td>${esc(r.error_name ?? "—")}</td><td>${r.error_code ?? "—"}</td><td>${r.duration_connected_seconds === null ? "—" : r.duration_connected_seconds.toFixed(1)}</td><td>${r.disconnect_reason_code ?? "—"}</td></tr>`)
    .join("");
  return `<section id="${esc(c.connection)}"><h2>${esc(c.connection)} <span class="${c.isConnected ? "up" : "down"}">${c.isConnected ? "connected" : "disconnected"}</span></h2>
${verdict(d)}
${timelineSvg(c, nowMs)}
<p>${m.total_connections} connections, ${m.connection_recovered} reconnections, ${m.total_connection_drops} drops, ${c.connectionFailures} failed attempts.
<a href="/diagnostics.json?connection=${encodeURIComponent(c.connection)}">diagnostics.json</a> · <a href="/diagnosis.json?connection=${encodeURIComponent(c.connection)}">diagnosis.json</a></p>
<table><thead><tr><th>drop at</th><th>error_name</th><th>error_code</th><th>session (s)</th><th>DISCONNECT reason</th></tr></thead><tbody>${rows || '<tr><td colspan="5">no drops recorded</td></tr>'}</tbody></table></section>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:60rem;color:#222}h2 span{font-size:.8rem;padding:.1rem .4rem;border-radius:.3rem}
.up{background:#d8f5d8}.down{background:#f8d7d7}.session{fill:#3a9d4a}.drop{stroke:#d33;stroke-width:2}table{border-collapse:collapse;font-size:.85rem}
td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left}.findings li{margin-bottom:.4rem}nav a{margin-right:1rem}`;

/** `GET /`: a status page for people without Grafana. Server-rendered, readable without JavaScript. */
export function statusPageRoute(app: FastifyInstance, registry: CollectorRegistry, diagnoser: Diagnoser | undefined): void {
  app.get("/", async (_request, reply) => {
    const sections = registry
      .all()
      .map((c) => connectionSection(c, diagnoser?.(c.connection), c.clock.now()))
      .join("\n");
    return reply.type("text/html; charset=utf-8").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mqtt-diagnostics-exporter</title><style>${STYLE}</style></head>
<body><h1>mqtt-diagnostics-exporter</h1>
<nav><a href="/metrics">/metrics</a><a href="/diagnostics.json">/diagnostics.json</a><a href="/diagnosis.json">/diagnosis.json</a><a href="/healthz">/healthz</a><a href="/readyz">/readyz</a></nav>
${sections || "<p>No connections configured.</p>"}
</body></html>`);
  });
}
