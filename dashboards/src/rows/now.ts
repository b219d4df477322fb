import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as TableBuilder } from "@grafana/grafana-foundation-sdk/table";
import { promInstant, stat } from "../panels.js";
import { BY_CONNECTION, METRIC, prometheusDs, sel } from "../selectors.js";
import type { RowContent } from "./row.js";

const upDown: dashboard.ValueMapping[] = [
  { type: dashboard.MappingType.ValueToText, options: { "0": { text: "DOWN", color: "red", index: 0 }, "1": { text: "UP", color: "green", index: 1 } } },
];
const redBelowOne = new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
  { value: null, color: "red" },
  { value: 1, color: "green" },
]);
const greenUntilOne = new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
  { value: null, color: "green" },
  { value: 1, color: "orange" },
  { value: 5, color: "red" },
]);

/** Now: is it connected, for how long, how often did it drop, and what the diagnosis says. */
export const nowRow: RowContent = {
  title: "Now",
  panels: [
    stat(
      "Connected",
      "1 while the MQTT connection is up (mqtt_client_connected), per connection.",
      4,
      promInstant(`min by (${BY_CONNECTION}) (${sel(METRIC.connected)})`, "{{connection}}"),
    )
      .mappings(upDown)
      .thresholds(redBelowOne),
    stat(
      "Session uptime",
      "Age of the current session. A value that keeps resetting near the same age (300 s, 24 h) points at an idle timeout or the AWS IoT 24-hour connection limit.",
      5,
      promInstant(`max by (${BY_CONNECTION}) (${sel(METRIC.uptime)})`, "{{connection}}"),
    )
      .unit("s")
      .colorMode(common.BigValueColorMode.None),
    stat(
      "Drops in range",
      "Connection drops in the selected time range, all error names together.",
      5,
      promInstant(`sum by (${BY_CONNECTION}) (increase(${sel(METRIC.drops)}[$__range]))`, "{{connection}}"),
    )
      .decimals(0)
      .thresholds(greenUntilOne),
    new TableBuilder()
      .title("Current diagnosis")
      .description("Likely causes of the drops with the exporter's confidence (0..1); /diagnosis.json on the exporter has the evidence and the recommendation.")
      .datasource(prometheusDs)
      .span(10)
      .height(4)
      .withTarget(promInstant(`sort_desc(max by (${BY_CONNECTION}, cause) (${sel(METRIC.diagnosis)}) > 0)`, "{{cause}}").format(PromQueryFormat.Table))
      .unit("percentunit"),
  ],
};
