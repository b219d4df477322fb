import * as common from "@grafana/grafana-foundation-sdk/common";
import { PanelBuilder as HeatmapBuilder, YAxisConfigBuilder } from "@grafana/grafana-foundation-sdk/heatmap";
import { PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { prom, timeseries } from "../panels.js";
import { BY_CONNECTION, METRIC, prometheusDs, sel } from "../selectors.js";
import type { RowContent } from "./row.js";

const quantile = (q: number, bucket: string, refId: string) =>
  prom(`histogram_quantile(${q}, sum by (${BY_CONNECTION}, le) (rate(${sel(bucket)}[$__rate_interval])))`, `{{connection}} p${q * 100}`, refId);

/** Sessions: how long connections last (a spike at 300 s or 86400 s jumps out) and how long recovery takes. */
export const sessionsRow: RowContent = {
  title: "Sessions",
  panels: [
    new HeatmapBuilder()
      .title("Session duration distribution")
      .description(
        "Ended sessions per duration bucket. A bright band at one duration is a timer, not bad luck: ~300-350 s is a NAT or load-balancer idle timeout, 86400 s is the AWS IoT 24-hour connection limit, a band at a few seconds is a second client with the same ID.",
      )
      .datasource(prometheusDs)
      .span(12)
      .height(9)
      .withTarget(prom(`sum by (le) (increase(${sel(METRIC.sessionDurationBucket)}[$__rate_interval]))`, "{{le}}").format(PromQueryFormat.Heatmap))
      .calculate(false)
      .yAxis(new YAxisConfigBuilder().unit("s").axisPlacement(common.AxisPlacement.Left))
      .cellGap(1)
      .showValue(common.VisibilityMode.Never),
    timeseries("Session duration quantiles", "p50 / p90 / p99 of ended sessions' length.", 6, [
      quantile(0.5, METRIC.sessionDurationBucket, "A"),
      quantile(0.9, METRIC.sessionDurationBucket, "B"),
      quantile(0.99, METRIC.sessionDurationBucket, "C"),
    ])
      .unit("s")
      .scaleDistribution(new common.ScaleDistributionConfigBuilder().type(common.ScaleDistribution.Log).log(10)),
    timeseries("Time to reconnect", "From a drop to the next successful connection: long waits mean backoff, throttling or an unreachable endpoint.", 6, [
      quantile(0.5, METRIC.timeToReconnectBucket, "A"),
      quantile(0.95, METRIC.timeToReconnectBucket, "B"),
    ]).unit("s"),
  ],
};
