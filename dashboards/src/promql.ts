import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { allPanels, type ExportedDashboard } from "./export-envelope.js";

/** One PromQL expression of a dashboard and where it lives (for test messages). */
export interface PromExpression {
  where: string;
  expr: string;
}

const isPrometheus = (ds: unknown) => typeof ds === "object" && ds !== null && (ds as { type?: string }).type === "prometheus";

/** Every Prometheus expression of a dashboard: panel targets, annotations and label_values variables. */
export function dashboardExpressions(d: ExportedDashboard): PromExpression[] {
  const out: PromExpression[] = [];
  for (const p of allPanels(d)) {
    for (const t of (p as dashboard.Panel).targets ?? []) {
      const target = t as { datasource?: unknown; expr?: string; refId?: string };
      if (isPrometheus(target.datasource) && target.expr) out.push({ where: `panel "${p.title}" ${target.refId}`, expr: target.expr });
    }
  }
  for (const a of d.annotations.list ?? []) {
    if (isPrometheus(a.datasource) && a.expr) out.push({ where: `annotation "${a.name}"`, expr: a.expr });
  }
  for (const v of d.templating.list ?? []) {
    if ((v.type as string) === "query" && isPrometheus(v.datasource) && typeof v.query === "string") out.push({ where: `variable ${v.name}`, expr: v.query });
  }
  return out;
}

/**
 * What Grafana would send for an expression, for running it directly against Prometheus:
 * template variables match everything, interval macros become `window`, and Grafana's
 * `label_values(selector, label)` becomes the query Grafana derives it from.
 */
export function toRunnable(expr: string, window = "5m"): string {
  const labelValues = /^label_values\((.+),\s*(\w+)\)$/.exec(expr.trim());
  const base = labelValues ? `count by (${labelValues[2]}) (${labelValues[1]})` : expr;
  return base.replace(/\$__(rate_interval|interval|range)\b/g, window).replace(/\$(job|instance|connection)\b/g, ".*");
}

/** Metric names an expression uses (every series of this exporter starts with `mqtt_`). */
export function metricNamesIn(expr: string): string[] {
  return [...new Set(expr.match(/\bmqtt_[a-z0-9_]+/g) ?? [])];
}
