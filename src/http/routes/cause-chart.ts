import type { CauseSample } from "./cause-history.js";
import { esc } from "./html.js";

const WIDTH = 760;
const HEIGHT = 200;
const LEFT = 48;
const BOTTOM = 18;
const TOP = 8;
/** Lines drawn at most (the causes with the most devices at any sample); the rest are named below the chart. */
export const CHART_MAX_CAUSES = 10;
const PALETTE = ["#d33", "#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#555"];
const HEALTHY = "#3a9d4a";

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** The causes to draw, most devices (at their peak) first, `healthy` included when present. */
function ranked(samples: readonly CauseSample[]): [string, number][] {
  const peak = new Map<string, number>();
  for (const s of samples) for (const [cause, n] of s.counts) peak.set(cause, Math.max(peak.get(cause) ?? 0, n));
  return [...peak].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/**
 * Devices by first cause over time as an SVG line chart (one line per cause, server-rendered, no
 * JavaScript) with its legend; empty when fewer than two samples exist.
 */
export function causeChartHtml(samples: readonly CauseSample[]): string {
  if (samples.length < 2) return "";
  const first = (samples[0] as CauseSample).at;
  const last = (samples[samples.length - 1] as CauseSample).at;
  const causes = ranked(samples);
  const drawn = causes.slice(0, CHART_MAX_CAUSES);
  const max = Math.max(1, ...drawn.map(([, n]) => n));
  const x = (t: number) => LEFT + ((t - first) / Math.max(1, last - first)) * (WIDTH - LEFT - 4);
  const y = (n: number) => TOP + (1 - n / max) * (HEIGHT - TOP - BOTTOM);
  const colour = (cause: string, i: number) => (cause === "healthy" ? HEALTHY : (PALETTE[i % PALETTE.length] as string));
  const lines = drawn.map(([cause], i) => {
    const points = samples.map((s) => `${x(s.at).toFixed(1)},${y(s.counts.get(cause) ?? 0).toFixed(1)}`).join(" ");
    return `<polyline class="cause" data-cause="${esc(cause)}" fill="none" stroke="${colour(cause, i)}" stroke-width="2" points="${points}"><title>${esc(cause)}</title></polyline>`;
  });
  const axis = `<line x1="${LEFT}" y1="${HEIGHT - BOTTOM}" x2="${WIDTH}" y2="${HEIGHT - BOTTOM}" stroke="#999"/><line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${HEIGHT - BOTTOM}" stroke="#999"/>
<text x="${LEFT - 4}" y="${TOP + 10}" text-anchor="end" font-size="11">${max}</text><text x="${LEFT - 4}" y="${HEIGHT - BOTTOM}" text-anchor="end" font-size="11">0</text>
<text x="${LEFT}" y="${HEIGHT - 4}" font-size="11">${hhmm(first)} UTC</text><text x="${WIDTH - 4}" y="${HEIGHT - 4}" text-anchor="end" font-size="11">${hhmm(last)} UTC</text>`;
  const legend = drawn.map(([cause], i) => `<li><span class="swatch" style="background:${colour(cause, i)}"></span>${esc(cause)}</li>`).join("");
  const rest = causes.slice(CHART_MAX_CAUSES).map(([cause]) => esc(cause));
  return `<svg class="causes" role="img" aria-label="devices by first cause over time" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">${axis}${lines.join("")}</svg>
<ul class="legend">${legend}</ul>${rest.length > 0 ? `<p class="legend">Not drawn (fewer devices): ${rest.join(", ")}.</p>` : ""}`;
}
