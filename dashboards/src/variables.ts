import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DEFAULT_LISTEN_PORT } from "../../src/service/listen-address.js";
import { CLOUDWATCH_INPUT, CLOUDWATCH_VAR, cloudwatchDs, METRIC, PROMETHEUS_INPUT, PROMETHEUS_VAR, prometheusDs } from "./selectors.js";

/** The Prometheus datasource variable; `${DS_PROMETHEUS}` is replaced by Grafana's import dialog. */
export const prometheusVariable = () =>
  new dashboard.DatasourceVariableBuilder(PROMETHEUS_VAR)
    .label("Prometheus")
    .type("prometheus")
    .current({ text: `\${${PROMETHEUS_INPUT}}`, value: `\${${PROMETHEUS_INPUT}}` });

export const cloudwatchVariable = () =>
  new dashboard.DatasourceVariableBuilder(CLOUDWATCH_VAR)
    .label("CloudWatch")
    .type("cloudwatch")
    .current({ text: `\${${CLOUDWATCH_INPUT}}`, value: `\${${CLOUDWATCH_INPUT}}` });

/** A multi-value label variable from `label_values`, "All" matching everything (the queries use `=~`). */
export function labelVariable(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(prometheusDs)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .current({ text: "All", value: "$__all" });
}

export const jobVariable = () => labelVariable("job", "Job", `label_values(${METRIC.buildInfo}, job)`);
export const instanceVariable = () => labelVariable("instance", "Instance", `label_values(${METRIC.buildInfo}{job=~"$job"}, instance)`);
export const connectionVariable = () =>
  labelVariable("connection", "Connection", `label_values(${METRIC.connected}{job=~"$job", instance=~"$instance"}, connection)`);

/** The exporter's base URL as a browser reaches it: links from a device to its detail (`/fleet/devices/{clientId}`). */
export const EXPORTER_VAR = "exporter";
export const exporterVariable = () => {
  const url = `http://localhost:${DEFAULT_LISTEN_PORT}`;
  return new dashboard.TextBoxVariableBuilder(EXPORTER_VAR)
    .label("Exporter URL")
    .description(
      "Base URL of an mqtt-diagnostics-exporter fleet replica as your browser reaches it (a replica answers for the devices of its shards; with one replica, or a single-replica MQTT fleet, every device).",
    )
    .defaultValue(url)
    .current({ text: url, value: url });
};

/** The AWS region of the CloudWatch queries, listed by the CloudWatch datasource itself. */
export const regionVariable = () =>
  new dashboard.QueryVariableBuilder("region")
    .label("AWS region")
    .datasource(cloudwatchDs)
    .query({ queryType: "regions", refId: "regions" })
    .definition("regions()")
    .refresh(dashboard.VariableRefresh.OnDashboardLoad)
    .current({ text: "default", value: "default" });

/** The `Protocol` dimension of the AWS/IoT metrics (AWS IoT Core clients speak MQTT). */
export const protocolVariable = () =>
  new dashboard.CustomVariableBuilder("protocol").label("AWS IoT protocol").values("MQTT,HTTP").current({ text: "MQTT", value: "MQTT" });

export const diagnosticsVariables = (): cog.Builder<dashboard.VariableModel>[] => [
  prometheusVariable(),
  jobVariable(),
  instanceVariable(),
  connectionVariable(),
  cloudwatchVariable(),
  regionVariable(),
  protocolVariable(),
];
