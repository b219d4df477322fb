import type { Attributes } from "@opentelemetry/api";
import { DataPointType, type MetricData } from "@opentelemetry/sdk-metrics";

/**
 * The Prometheus text format (0.0.4), in one place: every exposition the project writes, from
 * the catalog's state or from an application's MetricReader, is spelled here, as
 * exporter-prometheus's serializer spells it.
 */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** One metric family's text: `# HELP`/`# TYPE` once, then its samples. */
export interface Family {
  header: string;
  body: string;
}
export type Families = Map<string, Family>;

export const escapeHelp = (s: string): string => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const NEEDS_ESCAPE = /[\\\n"]/;
export const escapeLabelValue = (s: string): string => (NEEDS_ESCAPE.test(s) ? s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"') : s);

/** Characters OpenTelemetry allows and Prometheus does not become `_`, runs of `_` one. */
const sanitize = (name: string) => name.replace(/[^a-z0-9_]/gi, "_").replace(/_{2,}/g, "_");

/** Prometheus label names are `[a-zA-Z_][a-zA-Z0-9_]*`; OpenTelemetry's allow dots (`otel.metric.overflow`). */
export const labelName = (key: string): string => sanitize(key).replace(/^([0-9])/, "_$1");

export const valueText = (v: number): string => (v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : `${v}`);

/** `{a="x",b="y"}` (with `extra` last, already spelled), or "" for no labels. */
export function labelText(attributes: Attributes, extra?: string): string {
  let out = "";
  for (const key in attributes) {
    const v = attributes[key];
    // Non-string values are JSON, as the exporter writes them (`true` for the overflow series).
    out += `${out === "" ? "" : ","}${labelName(key)}="${escapeLabelValue(typeof v === "string" ? v : (JSON.stringify(v) ?? ""))}"`;
  }
  if (extra !== undefined) out += `${out === "" ? "" : ","}${extra}`;
  return out === "" ? "" : `{${out}}`;
}

/** `{n1="v1",n2="v2"}` from names already valid and values to escape, or "" for none. */
export function labelPairs(names: readonly string[], values: readonly string[]): string {
  let out = "";
  for (let i = 0; i < names.length; i++) out += `${i === 0 ? "{" : ","}${names[i] as string}="${escapeLabelValue(values[i] ?? "")}"`;
  return out === "" ? "" : `${out}}`;
}

/** A metric's family name: sanitized, a leading digit escaped, `_total` for a counter. */
export function exposedName(name: string, type: string): string {
  let out = sanitize(name);
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return type === "counter" && !out.endsWith("_total") ? `${out}_total` : out;
}

export function familyType(metric: MetricData): "counter" | "gauge" | "histogram" | "untyped" {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? "counter" : "gauge";
    case DataPointType.GAUGE:
      return "gauge";
    case DataPointType.HISTOGRAM:
      return "histogram";
    default:
      return "untyped";
  }
}

/** The family name of an OpenTelemetry metric (`_total` for a monotonic sum). */
export const familyName = (metric: MetricData): string => exposedName(metric.descriptor.name, familyType(metric));

/** `# HELP` and `# TYPE`; no `# UNIT` (not in format 0.0.4). */
export const familyHeader = (name: string, help: string, type: string): string =>
  `# HELP ${name} ${escapeHelp(help || "description missing")}\n# TYPE ${name} ${type}\n`;

/** `{labels,le="b"}` for a bucket, from `{labels}`. */
const withLe = (labels: string, le: string) => (labels === "" ? `{le="${le}"}` : `${labels.slice(0, -1)},le="${le}"}`);

/**
 * A histogram's lines, from per-bucket (not cumulative) counts: bucket, sum, count (prom-client's
 * and the golden exposition's order). `counts` has one more entry than `boundaries` (+Inf).
 */
export function histogramLines(name: string, labels: string, boundaries: readonly number[], counts: ArrayLike<number>, sum: number, count: number): string {
  let out = "";
  let cumulative = 0;
  for (let i = 0; i < boundaries.length; i++) {
    cumulative += counts[i] ?? 0;
    out += `${name}_bucket${withLe(labels, valueText(boundaries[i] as number))} ${cumulative}\n`;
  }
  return `${out}${name}_bucket${withLe(labels, "+Inf")} ${count}\n${name}_sum${labels} ${valueText(sum)}\n${name}_count${labels} ${count}\n`;
}

/** The exposition of `families`: sorted by name, each header once, empty families left out. */
export function familiesText(families: Families): string {
  const out: string[] = [];
  for (const name of [...families.keys()].sort()) {
    const f = families.get(name);
    if (f !== undefined && f.body !== "") out.push(f.header, f.body);
  }
  return out.join("");
}
