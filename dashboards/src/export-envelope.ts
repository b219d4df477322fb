import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { CLOUDWATCH_INPUT, PROMETHEUS_INPUT } from "./selectors.js";

/** Grafana's import envelope: not part of the dashboard model, read by the import dialog only. */
export interface ExportInput {
  name: string;
  label: string;
  description: string;
  type: "datasource";
  pluginId: string;
  pluginName: string;
}

export type ExportedDashboard = { __inputs: ExportInput[]; __requires: { type: string; id: string; name: string; version: string }[] } & dashboard.Dashboard;

const INPUTS: Record<string, ExportInput> = {
  prometheus: {
    name: PROMETHEUS_INPUT,
    label: "Prometheus",
    description: "Prometheus scraping mqtt-diagnostics-exporter",
    type: "datasource",
    pluginId: "prometheus",
    pluginName: "Prometheus",
  },
  cloudwatch: {
    name: CLOUDWATCH_INPUT,
    label: "CloudWatch",
    description: "CloudWatch of the AWS account running AWS IoT Core",
    type: "datasource",
    pluginId: "cloudwatch",
    pluginName: "CloudWatch",
  },
};

type AnyPanel = dashboard.Panel | dashboard.RowPanel;

/**
 * Numbers panels 1..n in layout order (ids must be unique and stable, so the committed JSON only
 * changes when the layout does) and wraps the model in the import envelope.
 */
export function toExport(model: dashboard.Dashboard, datasources: ("prometheus" | "cloudwatch")[], panelTypes: string[]): ExportedDashboard {
  let id = 0;
  const number = (p: AnyPanel) => {
    p.id = ++id;
    if (p.type === "row") for (const child of (p as dashboard.RowPanel).panels) number(child);
  };
  for (const p of model.panels ?? []) number(p);
  return {
    __inputs: datasources.map((d) => INPUTS[d]!),
    __requires: [
      { type: "grafana", id: "grafana", name: "Grafana", version: "10.4.0" },
      ...datasources.map((d) => ({ type: "datasource", id: d, name: INPUTS[d]!.pluginName, version: "1.0.0" })),
      ...[...new Set(panelTypes)].sort().map((t) => ({ type: "panel", id: t, name: t, version: "" })),
    ],
    ...model,
  };
}

/** Every panel of a model, rows' children included. */
export function allPanels(model: { panels?: AnyPanel[] }): AnyPanel[] {
  return (model.panels ?? []).flatMap((p) => (p.type === "row" ? [p, ...((p as dashboard.RowPanel).panels ?? [])] : [p]));
}

/** The JSON text as committed: two-space indent, trailing newline. */
export const toJsonText = (d: ExportedDashboard): string => `${JSON.stringify(d, null, 2)}\n`;
