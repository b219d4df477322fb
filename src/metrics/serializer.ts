import type { Attributes } from "@opentelemetry/api";
import { DataPointType, type Histogram, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { familyHeader, familyName, familyType, labelText, valueText, type Families, type Family, type ZeroHistogram } from "./prometheus-text.js";
import { RenderMemo, type FamilyMemo } from "./render-memo.js";

export { RenderMemo } from "./render-memo.js";
export type { Families, Family, ZeroHistogram } from "./prometheus-text.js";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Point = { attributes: Attributes; value: number | Histogram };
type HistogramValue = Pick<Histogram, "buckets" | "sum" | "count">;

// Text kept between scrapes is built with join(), which makes one flat string: text built with
// `+=` is a rope of every piece, and at 1,000 connections those ropes held tens of MB of heap.

/** `{labels,le="b"}` for a bucket, from `{labels}`. */
const withLe = (labels: string, le: string) => (labels === "" ? `{le="${le}"}` : [labels.slice(0, -1), `,le="${le}"}`].join(""));

/** A histogram's lines: bucket, sum, count (prom-client's and the golden exposition's order). */
function histogramLines(name: string, labels: string, h: HistogramValue, out: string[]): void {
  let cumulative = 0;
  const { boundaries, counts } = h.buckets;
  for (let i = 0; i < boundaries.length; i++) {
    cumulative += counts[i] ?? 0;
    out.push(`${name}_bucket${withLe(labels, valueText(boundaries[i] as number))} ${cumulative}\n`);
  }
  out.push(`${name}_bucket${withLe(labels, "+Inf")} ${h.count}\n`, `${name}_sum${labels} ${valueText(h.sum ?? 0)}\n`, `${name}_count${labels} ${h.count}\n`);
}

/**
 * A family's sample lines. Labels are spelled each time a family is written (only families whose
 * numbers changed are): keeping every series' spelling between scrapes, as a WeakMap by
 * attributes object and then by place, kept ~45 MB more heap at 200,000 series, and copying that
 * through the young generation was most of the first scrape's garbage-collection time.
 */
function samples(name: string, points: readonly Point[], histogram: boolean): string {
  const out: string[] = [];
  for (const point of points) {
    const labels = labelText(point.attributes);
    if (histogram) histogramLines(name, labels, point.value as HistogramValue, out);
    else out.push(`${name}${labels} ${valueText(point.value as number)}\n`);
  }
  return out.join("");
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
function unchanged(m: FamilyMemo, points: readonly Point[], histogram: boolean): boolean {
  const { attributes, values } = m;
  const width = histogram ? 2 : 1;
  let same = attributes.length === points.length;
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as Point;
    const a = histogram ? (point.value as HistogramValue).count : (point.value as number);
    const b = histogram ? ((point.value as HistogramValue).sum ?? 0) : 0;
    const before = attributes[i];
    const sameLabels = sameAttributes(before, point.attributes);
    if (same && (!sameLabels || values[i * width] !== a || (histogram && values[i * width + 1] !== b))) same = false;
    attributes[i] = point.attributes;
    values[i * width] = a;
    if (histogram) values[i * width + 1] = b;
  }
  attributes.length = points.length;
  values.length = points.length * width;
  return same;
}

/** The all-zero series of histogram `z` for each of `connections`. */
function zeroSeries(z: ZeroHistogram, connections: readonly string[]): string {
  const out: string[] = [];
  const empty = { buckets: { boundaries: z.boundaries as number[], counts: [] }, sum: 0, count: 0 };
  for (const c of connections) histogramLines(z.name, labelText({ connection: c }), empty, out);
  return out.join("");
}

/** Header texts are the same for every connection: each is kept once, whoever wrote it. */
const headers = new Map<string, string>();
function header(name: string, help: string, type: string): string {
  const text = familyHeader(name, help, type);
  const known = headers.get(text);
  if (known !== undefined) return known;
  headers.set(text, text);
  return text;
}

/**
 * The families of one collection. Histograms listed in `zeroHistograms` get an all-zero series
 * for each of `connections` that has not observed anything yet, so queries work from start-up.
 */
export function renderFamilies(rm: ResourceMetrics, zeroHistograms: readonly ZeroHistogram[], connections: readonly string[]): Families {
  return render(rm, zeroHistograms, connections, undefined) as Families;
}

/**
 * The same, with a memory kept between collections of one provider: a family whose numbers did
 * not change is given as `unchanged` (its text is the one written last time) and not written
 * again; undefined when nothing changed at all. The memory keeps no text but label spellings.
 */
export function renderChanges(rm: ResourceMetrics, zeroHistograms: readonly ZeroHistogram[], connections: readonly string[], memo: RenderMemo): Families | undefined {
  return render(rm, zeroHistograms, connections, memo);
}

function render(rm: ResourceMetrics, zeroHistograms: readonly ZeroHistogram[], connections: readonly string[], memo: RenderMemo | undefined): Families | undefined {
  const families: Families = new Map();
  const zeros = new Map(zeroHistograms.map((z) => [z.name, z]));
  const seen = new Set<string>();
  let changed = memo === undefined || !memo.rendered;
  const write = (name: string, head: string, body: string, same: boolean) => {
    families.set(name, same ? { header: head, body: "", unchanged: true } : { header: head, body });
    if (!same) changed = true;
  };
  for (const scope of rm.scopeMetrics) {
    for (const metric of scope.metrics) {
      const histogram = metric.dataPointType === DataPointType.HISTOGRAM;
      const points = metric.dataPoints as Point[];
      const m = memo?.family(metric.descriptor.name);
      // Compared first, always: this also remembers the points for the next collection.
      const samePoints = m !== undefined && unchanged(m, points, histogram) && m.header !== undefined;
      const z = zeros.get(metric.descriptor.name);
      const observed = z === undefined ? undefined : new Set(points.map((p) => p.attributes["connection"]));
      const missing = observed === undefined ? [] : connections.filter((c) => !observed.has(c));
      const sameZeros = z === undefined || memo?.zerosChanged(z.name, missing) === false;
      if (z !== undefined) seen.add(z.name);
      const name = m?.header !== undefined ? m.name : familyName(metric);
      const head = m?.header ?? header(name, metric.descriptor.description, familyType(metric));
      if (m !== undefined) [m.name, m.header] = [name, head];
      const same = samePoints && sameZeros;
      write(name, head, same ? "" : [samples(name, points, histogram), z === undefined ? "" : zeroSeries(z, missing)].join(""), same);
    }
  }
  for (const z of zeroHistograms) {
    if (seen.has(z.name) || connections.length === 0) continue;
    // No point observed yet: the family is the zero series alone.
    write(z.name, header(z.name, z.help, "histogram"), zeroSeries(z, connections), memo?.zerosChanged(z.name, connections) === false);
  }
  if (memo === undefined) return families;
  // A metric gone from the collection changes the count (one that appears is new to the memo).
  if (memo.familyCount !== families.size) changed = true;
  memo.familyCount = families.size;
  memo.rendered = true;
  return changed ? families : undefined;
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
