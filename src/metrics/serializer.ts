import type { Attributes } from "@opentelemetry/api";
import { DataPointType, type Histogram, type MetricData, type ResourceMetrics } from "@opentelemetry/sdk-metrics";

/** A histogram that must be exposed for every connection even before its first observation. */
export interface ZeroHistogram {
  name: string;
  help: string;
  boundaries: readonly number[];
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const escapeHelp = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const escapeValue = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function num(v: number): string {
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return `${v}`;
}

/** Prometheus label names are `[a-zA-Z_][a-zA-Z0-9_]*`; OpenTelemetry's allow dots (`otel.metric.overflow`). */
const labelName = (key: string) => key.replace(/[^a-zA-Z0-9_]/g, "_").replace(/^([0-9])/, "_$1");

function labels(attributes: Attributes, extra?: string): string {
  let out = "";
  for (const key in attributes) {
    const v = attributes[key];
    out += `${out === "" ? "" : ","}${labelName(key)}="${escapeValue(typeof v === "string" ? v : String(v))}"`;
  }
  if (extra !== undefined) out += `${out === "" ? "" : ","}${extra}`;
  return out === "" ? "" : `{${out}}`;
}

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

function family(metric: MetricData): { name: string; type: string; body: string } {
  const d = metric.descriptor;
  if (metric.dataPointType === DataPointType.HISTOGRAM) {
    let body = "";
    for (const p of metric.dataPoints) body += histogramLines(d.name, p.attributes, p.value);
    return { name: d.name, type: "histogram", body };
  }
  const isCounter = metric.dataPointType === DataPointType.SUM && metric.isMonotonic;
  const name = isCounter && !d.name.endsWith("_total") ? `${d.name}_total` : d.name;
  let body = "";
  for (const p of metric.dataPoints) body += `${name}${labels(p.attributes)} ${num(p.value as number)}\n`;
  return { name, type: isCounter ? "counter" : "gauge", body };
}

/**
 * Prometheus text exposition (0.0.4) of what the OpenTelemetry reader collected. Families are
 * sorted by name so the output is stable; histograms listed in `zeroHistograms` get an all-zero
 * series for each connection that has not observed anything yet, so queries work from start-up.
 */
export function serializePrometheus(rm: ResourceMetrics, zeroHistograms: readonly ZeroHistogram[], connections: readonly string[]): string {
  const families = new Map<string, { help: string; type: string; body: string }>();
  for (const scope of rm.scopeMetrics) {
    for (const metric of scope.metrics) {
      const f = family(metric);
      families.set(f.name, { help: metric.descriptor.description, type: f.type, body: f.body });
    }
  }
  for (const z of zeroHistograms) {
    const existing = families.get(z.name);
    const seen = new Set<string>();
    if (existing !== undefined) {
      for (const scope of rm.scopeMetrics) {
        for (const m of scope.metrics) {
          if (m.descriptor.name !== z.name) continue;
          for (const p of m.dataPoints) seen.add(String(p.attributes["connection"]));
        }
      }
    }
    let zeros = "";
    const empty = { buckets: { boundaries: [...z.boundaries], counts: z.boundaries.map(() => 0) }, sum: 0, count: 0 };
    for (const c of connections) if (!seen.has(c)) zeros += histogramLines(z.name, { connection: c }, empty);
    if (existing !== undefined) existing.body += zeros;
    else if (zeros !== "") families.set(z.name, { help: z.help, type: "histogram", body: zeros });
  }
  let out = "";
  for (const name of [...families.keys()].sort()) {
    const f = families.get(name);
    if (f === undefined || f.body === "") continue;
    out += `# HELP ${name} ${escapeHelp(f.help)}\n# TYPE ${name} ${f.type}\n${f.body}`;
  }
  return out;
}
