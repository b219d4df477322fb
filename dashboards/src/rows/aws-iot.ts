import * as cloudwatch from "@grafana/grafana-foundation-sdk/cloudwatch";
import * as common from "@grafana/grafana-foundation-sdk/common";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import { eventBars, prom } from "../panels.js";
import { BY_CONNECTION, cloudwatchDs, METRIC, sel } from "../selectors.js";
import type { RowContent } from "./row.js";

/** The AWS/IoT CloudWatch metrics this row shows; AWS publishes them per `Protocol`. */
export const AWS_IOT_CONNECT_METRICS = [
  "Connect.Success",
  "Connect.AuthError",
  "Connect.ClientError",
  "Connect.ClientIDThrottle",
  "Connect.Throttle",
  "Connect.ServerError",
] as const;
export const AWS_IOT_OTHER_METRICS = ["Ping.Success", "PublishIn.Throttle"] as const;

function awsIot(metricName: string, refId: string): cloudwatch.MetricsQueryBuilder {
  return new cloudwatch.MetricsQueryBuilder()
    .datasource(cloudwatchDs)
    .refId(refId)
    .id("")
    .queryMode(cloudwatch.QueryMode.Metrics)
    .metricQueryType(cloudwatch.MetricQueryType.Search)
    .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
    .region("$region")
    .namespace("AWS/IoT")
    .metricName(metricName)
    .dimensions({ Protocol: "$protocol" })
    .matchExact(true)
    .statistic("Sum")
    .period("")
    .label(`${metricName}`);
}

function cloudwatchBars(title: string, description: string, span: number, metrics: readonly string[]): TimeseriesBuilder {
  const panel = new TimeseriesBuilder()
    .title(title)
    .description(description)
    .datasource(cloudwatchDs)
    .span(span)
    .height(8)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(80)
    .decimals(0)
    .min(0)
    .legend(
      new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Right).showLegend(true).calcs(["sum"]),
    );
  metrics.forEach((m, i) => panel.withTarget(awsIot(m, String.fromCharCode(65 + i))));
  return panel;
}

/** AWS IoT (CloudWatch): what AWS saw, on the same time axis as the client's own drops. */
export const awsIotRow: RowContent = {
  title: "AWS IoT (CloudWatch)",
  panels: [
    cloudwatchBars(
      "AWS IoT connect results",
      "AWS/IoT Connect.* (Sum per period, account-wide for the selected Protocol and region). AuthError: certificate or policy; ClientError: malformed CONNECT or client ID; ClientIDThrottle: the same client ID connecting too often (a duplicate or a reconnect loop); Throttle / ServerError: AWS limits or an AWS-side problem.",
      10,
      AWS_IOT_CONNECT_METRICS,
    ),
    cloudwatchBars(
      "AWS IoT pings and publish throttles",
      "AWS/IoT Ping.Success (keep-alive pings AWS answered) and PublishIn.Throttle (publishes AWS rejected for rate). Pings that continue while the client reports ping timeouts mean the answers get lost on the way back.",
      7,
      AWS_IOT_OTHER_METRICS,
    ),
    eventBars("Client drops (this exporter)", "The client's own drops by error name, for comparison with what AWS recorded in the same period.", 7, [
      prom(`sum by (${BY_CONNECTION}, error_name) (increase(${sel(METRIC.drops)}[$__rate_interval]))`, "{{connection}} {{error_name}}"),
    ]),
  ],
};
