import type { Attributes } from "@opentelemetry/api";
import { DataPointType, type Histogram, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { familyHeader, familyName, familyType, labelText, valueText, type Families, type Family, type ZeroHistogram } from "./prometheus-text.js";
import { RenderMemo, type FamilyMemo } from "./render-memo.js";

export { RenderMemo } from "./render-memo.js";
export type { Families, Family, ZeroHistogram } from "./prometheus-text.js";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Point = { attributes: Attributes; value: number | Histogram };
type HistogramValue = Pick<Histogram, "buckets" | "sum" | "count">;

/**
 * The start of each line a series writes, up to its value: `name{labels} ` for a counter or
 * gauge; each bucket's, then `_sum`'s and `_count`'s for a histogram (bucket, sum, count: the
 * order prom-client and the golden exposition use).
 */
function prefixes(name: string, attributes: Attributes, boundaries: readonly number[] | undefined): string[] {
  if (boundaries === undefined) return [`${name}${labelText(attributes)} `];
  const out = boundaries.map((b) => `${name}_bucket${labelText(attributes, `le="${valueText(b)}"`)} `);
  out.push(`${name}_bucket${labelText(attributes, 'le="+Inf"')} `, `${name}_sum${labelText(attributes)} `, `${name}_count${labelText(attributes)} `);
  return out;
}

function histogramLines(p: readonly string[], h: HistogramValue): string {
  let out = "";
  let cumulative = 0;
  const last = p.length - 3;
  for (let i = 0; i < last; i++) {
    cumulative += h.buckets.counts[i] ?? 0;
    out += `${p[i]}${cumulative}\n`;
  }
  return `${out}${p[last]}${h.count}\n${p[last + 1]}${valueText(h.sum ?? 0)}\n${p[last + 2]}${h.count}\n`;
}

/** The samples of one metric's points, each series' line prefixes made once and remembered. */
function samples(name: string, points: readonly Point[], histogram: boolean, memo: FamilyMemo): string {
  let body = "";
  for (const point of points) {
    const h = histogram ? (point.value as HistogramValue) : undefined;
    let p = memo.prefixes.get(point.attributes);
    if (p === undefined) {
      p = prefixes(name, point.attributes, h?.buckets.boundaries);
      memo.prefixes.set(point.attributes, p);
    }
    body += h === undefined ? `${p[0] as string}${valueText(point.value as number)}\n` : histogramLines(p, h);
  }
  return body;
}

/** Same labels: the same object (an observable's series, collection after collection) or the same pairs. */
function sameAttributes(a: Attributes | undefined, b: Attributes): boolean {
  if (a === b) return true;
  if (a === undefined) return false;
  let n = 0;
  for (const key in a) {
    if (a[key] !== b[key]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/**
 * Whether a metric's points are the ones last written: the same series in the same order with
 * the same numbers (a histogram's count and sum). Remembers these points for the next time.
 */
function unchanged(memo: FamilyMemo, points: readonly Point[], histogram: boolean): boolean {
  const { attributes, values } = memo;
  const width = histogram ? 2 : 1;
  let same = attributes.length === points.length;
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as Point;
    const a = histogram ? (point.value as HistogramValue).count : (point.value as number);
    const b = histogram ? ((point.value as HistogramValue).sum ?? 0) : 0;
    if (same && (!sameAttributes(attributes[i], point.attributes) || values[i * width] !== a || (histogram && values[i * width + 1] !== b))) same = false;
    attributes[i] = point.attributes;
    values[i * width] = a;
    if (histogram) values[i * width + 1] = b;
  }
  attributes.length = points.length;
  values.length = points.length * width;
  return same;
}

/**
 * The families of one collection. Histograms listed in `zeroHistograms` get an all-zero series
 * for each of `connections` that has not observed anything yet, so queries work from start-up.
 * With a `memo` kept between collections of the same provider, a family whose numbers did not
 * change is not written again, and nothing changed gives back the previous Map itself.
 */
export function renderFamilies(rm: ResourceMetrics, zeroHistograms: readonly ZeroHistogram[], connections: readonly string[], memo = new RenderMemo()): Families {
  const families: Families = new Map();
  const seen = new Map<string, Set<string>>();
  let changed = memo.last === undefined;
  for (const scope of rm.scopeMetrics) {
    for (const metric of scope.metrics) {
      const histogram = metric.dataPointType === DataPointType.HISTOGRAM;
      const points = metric.dataPoints as Point[];
      if (histogram) seen.set(metric.descriptor.name, new Set(points.map((p) => String(p.attributes["connection"]))));
      const m = memo.family(metric.descriptor.name);
      // Compared first, always: this also remembers the points for the next collection.
      if (!unchanged(m, points, histogram) || m.family === undefined) {
        m.name = familyName(metric);
        m.family = { header: familyHeader(m.name, metric.descriptor.description, familyType(metric)), body: samples(m.name, points, histogram, m) };
        changed = true;
      }
      families.set(m.name, m.family);
    }
  }
  for (const z of zeroHistograms) {
    const missing = connections.filter((c) => seen.get(z.name)?.has(c) !== true);
    const zeros = missing.map((c) => memo.zeros(z, c, () => histogramLines(prefixes(z.name, { connection: c }, z.boundaries), { buckets: { boundaries: [], counts: [] }, sum: 0, count: 0 }))).join("");
    if (memo.zerosChanged(z.name, zeros)) changed = true;
    if (zeros === "") continue;
    const existing = families.get(z.name);
    families.set(z.name, { header: existing?.header ?? familyHeader(z.name, z.help, "histogram"), body: (existing?.body ?? "") + zeros });
  }
  // A metric gone from the collection changes the count (one that appears is new to the memo).
  if (!changed && memo.last !== undefined && memo.last.size === families.size) return memo.last;
  memo.last = families;
  return families;
}

/**
 * Prometheus text exposition (0.0.4) of several collections: families sorted by name, each
 * family's header once and its samples in the order of `parts`, empty families left out.
 */
export function mergeFamilies(parts: Iterable<Families>): string {
  const merged = new Map<string, Family>();
  for (const part of parts) {
    for (const [name, f] of part) {
      const m = merged.get(name);
      if (m === undefined) merged.set(name, { header: f.header, body: f.body });
      else m.body += f.body;
    }
  }
  let out = "";
  for (const name of [...merged.keys()].sort()) {
    const f = merged.get(name);
    if (f !== undefined && f.body !== "") out += f.header + f.body;
  }
  return out;
}

/** The exposition of one collection (every connection in it). */
export function serializePrometheus(rm: ResourceMetrics, zeroHistograms: readonly ZeroHistogram[], connections: readonly string[]): string {
  return mergeFamilies([renderFamilies(rm, zeroHistograms, connections)]);
}
