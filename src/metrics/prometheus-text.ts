import type { Attributes } from "@opentelemetry/api";
import { DataPointType, type MetricData } from "@opentelemetry/sdk-metrics";

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
  /** Set by a rendering with memory: the family's text is the one written last time (body is ""). */
  unchanged?: true;
}
export type Families = Map<string, Family>;

/**
 * The text format's spelling rules (0.0.4), written as exporter-prometheus's serializer writes
 * them, so the exposition is the same text whichever of the two renders a family.
 */

export const escapeHelp = (s: string): string => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
const escapeValue = (s: string) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

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
    out += `${out === "" ? "" : ","}${labelName(key)}="${escapeValue(typeof v === "string" ? v : JSON.stringify(v) ?? "")}"`;
  }
  if (extra !== undefined) out += `${out === "" ? "" : ","}${extra}`;
  return out === "" ? "" : `{${out}}`;
}

/** The family's name: sanitized, a leading digit escaped, `_total` for a monotonic sum. */
export function familyName(metric: MetricData): string {
  let name = sanitize(metric.descriptor.name);
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (metric.dataPointType === DataPointType.SUM && metric.isMonotonic && !name.endsWith("_total")) name += "_total";
  return name;
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

/** `# HELP` and `# TYPE`; no `# UNIT` (not in format 0.0.4). */
export const familyHeader = (name: string, help: string, type: string): string => `# HELP ${name} ${escapeHelp(help || "description missing")}\n# TYPE ${name} ${type}\n`;
