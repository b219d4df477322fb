import type { MqttDiagnosticsCollector } from "../../collector/collector.js";
import { plural } from "../../text/plural.js";
import { esc } from "./html.js";

/**
 * Past this many connections the status page details only the ones that most need attention:
 * each section (timeline, verdict, drop table) is kilobytes, and at 1,000 connections the page
 * was 3 MB and took seconds to render.
 */
export const STATUS_PAGE_MAX_SECTIONS = 20;
/** Most rows of the overview table; every connection stays reachable through the JSON endpoints. */
export const STATUS_PAGE_MAX_ROWS = 250;

/** What the page shows: every connection when few, else an overview and the sections that matter most. */
export interface PagePlan {
  detailed: MqttDiagnosticsCollector[];
  /** Empty when every connection has its section. */
  overview: MqttDiagnosticsCollector[];
  total: number;
}

/**
 * Disconnected connections first, then those with the most drops and failed attempts, then
 * configuration order: the ones someone opening the page is looking for.
 */
export function planPage(all: readonly MqttDiagnosticsCollector[], maxSections = STATUS_PAGE_MAX_SECTIONS, maxRows = STATUS_PAGE_MAX_ROWS): PagePlan {
  if (all.length <= maxSections) return { detailed: [...all], overview: [], total: all.length };
  const trouble = (c: MqttDiagnosticsCollector) => c.totals.total_connection_drops + c.connectionFailures;
  const ranked = all
    .map((c, i) => ({ c, i, down: c.isConnected ? 0 : 1, trouble: trouble(c) }))
    .sort((a, b) => b.down - a.down || b.trouble - a.trouble || a.i - b.i)
    .map((r) => r.c);
  return { detailed: ranked.slice(0, maxSections), overview: ranked.slice(0, maxRows), total: all.length };
}

/** Which of the routes beside the page are served, under which prefix (the page's PageLinks). */
export interface OverviewLinks {
  prefix: string;
  metrics: boolean;
  diagnostics: boolean;
  diagnosis: boolean;
}

/** One row of the overview table. */
export function overviewRow(c: MqttDiagnosticsCollector, detailed: boolean, dataLinks: string): string {
  const m = c.totals;
  const name = detailed ? `<a href="#${encodeURIComponent(c.connection)}">${esc(c.connection)}</a>` : esc(c.connection);
  const last = c.lastDropUnixSeconds === null ? "—" : new Date(c.lastDropUnixSeconds * 1000).toISOString();
  return `<tr><td>${name}</td><td class="${c.isConnected ? "up" : "down"}">${c.isConnected ? "connected" : "disconnected"}</td><td>${m.total_connection_drops}</td><td>${c.connectionFailures}</td><td>${esc(last)}</td><td>${dataLinks || "—"}</td></tr>`;
}

/** The overview's heading, the table around `rows`, and what was left out. */
export function overviewHtml(plan: PagePlan, rows: readonly string[], links: OverviewLinks): string {
  const down = plan.overview.filter((c) => !c.isConnected).length;
  const unlisted = plan.total - plan.overview.length;
  const records = [links.diagnostics ? "diagnostics.json" : "", links.diagnosis ? "diagnosis.json" : ""]
    .filter((r) => r !== "")
    .map((r) => `<code>${esc(links.prefix)}/${r}?connection=NAME</code>`);
  const where = [
    records.length > 0 ? `Any connection's full record: ${records.join(" and ")}` : "",
    links.metrics ? `every connection's figures: <a href="${esc(links.prefix)}/metrics">/metrics</a>` : "",
  ].filter((w) => w !== "");
  return `<h2>Overview</h2>
<p>${plural(plan.total, "connection")}. Detailed below: the ${plan.detailed.length} that most need attention (disconnected first, then the most drops and failed attempts)${down > 0 ? `; ${plural(down, "disconnected connection")} in this table` : ""}.${where.length > 0 ? `\n${where.join("; ")}.` : ""}</p>
<table class="overview"><thead><tr><th>connection</th><th>state</th><th>drops</th><th>failed attempts</th><th>last drop</th><th>data</th></tr></thead><tbody>${rows.join("")}</tbody></table>
${unlisted > 0 ? `<p>${plural(unlisted, "more connection")} not listed (the fewest drops and failed attempts).</p>` : ""}`;
}
