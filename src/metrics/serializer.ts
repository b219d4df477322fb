import type { Attributes } from "@opentelemetry/api";
import { PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { DataPointType, type Histogram, type MetricData, type ResourceMetrics } from "@opentelemetry/sdk-metrics";

/** A histogram that must be exposed for every connection even before its first observation. */
export interface ZeroHistogram {
  name: string;
  help: string;
  boundaries: readonly number[];
}

/** One metric family's text: `# HELP`/`# TYPE` once, then its samples. */
export interface Family {
  header: string;
  body: string;
}
export type Families = Map<string, Family>;

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

// withoutTargetInfo, withoutScopeInfo: see docs/metrics.md.
const serializer = new PrometheusSerializer(undefined, false, undefined, true, true);

const escapeHelp = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const escapeValue = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
/** Prometheus label names are `[a-zA-Z_][a-zA-Z0-9_]*`; OpenTelemetry's allow dots (`otel.metric.overflow`). */
const labelName = (key: string) => key.replace(/[^a-zA-Z0-9_]/g, "_").replace(/^([0-9])/, "_$1");
const num = (v: number) => (v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : `${v}`);

function labels(attributes: Attributes, extra?: string): string {
  let out = "";
  for (const key in attributes) {
    const v = attributes[key];
    out += `${out === "" ? "" : ","}${labelName(key)}="${escapeValue(typeof v === "string" ? v : String(v))}"`;
  }
  if (extra !== undefined) out += `${out === "" ? "" : ","}${extra}`;
  return out === "" ? "" : `{${out}}`;
}

/**
 * Histograms are written here in bucket, sum, count order (prom-client's and the golden
 * exposition's; PrometheusSerializer writes count and sum first).
 */
function histogramLines(name: string, attributes: Attributes, h: Pick<Histogram, "buckets" | "sum" | "count">): string {
  let out = "";
  let cumulative = 0;
  const { boundaries, counts } = h.buckets;
  for (let i = 0; i < boundaries.length; i++) {
    cumulative += counts[i] ?? 0;
    out += `${name}_bucket${labels(attributes, `le="${num(boundaries[i] as number)}"`)} ${cumulative}\n`;
  }
  out += `${name}_bucket${labels(attributes, 'le="+Inf"')} ${h.count}\n`;
  out += `${name}_sum${labels(attributes)} ${num(h.sum ?? 0)}\n`;
  out += `${name}_count${labels(attributes)} ${h.count}\n`;
  return out;
}

const VALID_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The serializer turns `.` into `_` but lets a leading digit through: names are made valid first. */
function validLabelNames(metric: MetricData): MetricData["dataPoints"] {
  const points = metric.dataPoints as { attributes: Attributes }[];
  if (points.every((p) => Object.keys(p.attributes).every((k) => VALID_LABEL.test(k)))) return metric.dataPoints;
  return points.map((p) => ({ ...p, attributes: Object.fromEntries(Object.entries(p.attributes).map(([k, v]) => [labelName(k), v])) })) as MetricData["dataPoints"];
}

/** Counters and gauges through exporter-prometheus's serializer (no `# UNIT`: not in format 0.0.4). */
function scalarFamily(rm: ResourceMetrics, metric: MetricData): [string, Family] {
  const bare = { ...metric, descriptor: { ...metric.descriptor, unit: "" }, dataPoints: validLabelNames(metric) } as MetricData;
  const text = serializer.serialize({ resource: rm.resource, scopeMetrics: [{ scope: { name: "" }, metrics: [bare] }] });
  const help = text.indexOf("\n");
  const type = text.indexOf("\n", help + 1);
  const name = text.slice("# HELP ".length, text.indexOf(" ", "# HELP ".length));
  return [name, { header: text.slice(0, type + 1), body: type < 0 ? "" : text.slice(type + 1) }];
}

/**
 * The families of one collection. Histograms listed in `zeroHistograms` get an all-zero series
 * for each of `connections` that has not observed anything yet, so queries work from start-up.
 */
export function renderFamilies(rm: ResourceMetrics, zeroHistograms: readonly ZeroHistogram[], connections: readonly string[]): Families {
  const families: Families = new Map();
  const seen = new Map<string, Set<string>>();
  for (const scope of rm.scopeMetrics) {
    for (const metric of scope.metrics) {
      const d = metric.descriptor;
      if (metric.dataPointType !== DataPointType.HISTOGRAM) {
        const [name, family] = scalarFamily(rm, metric);
        families.set(name, family);
        continue;
      }
      let body = "";
      const connectionsSeen = new Set<string>();
      for (const p of metric.dataPoints) {
        body += histogramLines(d.name, p.attributes, p.value);
        connectionsSeen.add(String(p.attributes["connection"]));
      }
      seen.set(d.name, connectionsSeen);
      families.set(d.name, { header: `# HELP ${d.name} ${escapeHelp(d.description)}\n# TYPE ${d.name} histogram\n`, body });
    }
  }
  for (const z of zeroHistograms) {
    const connectionsSeen = seen.get(z.name);
    const empty = { buckets: { boundaries: [...z.boundaries], counts: z.boundaries.map(() => 0) }, sum: 0, count: 0 };
    let zeros = "";
    for (const c of connections) if (connectionsSeen?.has(c) !== true) zeros += histogramLines(z.name, { connection: c }, empty);
    const existing = families.get(z.name);
    if (existing !== undefined) existing.body += zeros;
    else families.set(z.name, { header: `# HELP ${z.name} ${escapeHelp(z.help)}\n# TYPE ${z.name} histogram\n`, body: zeros });
  }
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
