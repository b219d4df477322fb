import * as common from "@grafana/grafana-foundation-sdk/common";
import { PanelBuilder as HeatmapBuilder, YAxisConfigBuilder } from "@grafana/grafana-foundation-sdk/heatmap";
import { DataqueryBuilder, PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import { prometheusDs } from "./selectors.js";

/** A Prometheus range query on the dashboard's datasource variable. */
export function prom(expr: string, legend: string, refId = "A"): DataqueryBuilder {
  return new DataqueryBuilder().datasource(prometheusDs).expr(expr).legendFormat(legend).refId(refId);
}

/** An instant Prometheus query, for stats and tables that show "now". */
export function promInstant(expr: string, legend: string, refId = "A"): DataqueryBuilder {
  return prom(expr, legend, refId).instant();
}

const tableLegend = () =>
  new common.VizLegendOptionsBuilder()
    .displayMode(common.LegendDisplayMode.Table)
    .placement(common.LegendPlacement.Right)
    .showLegend(true)
    .calcs(["sum", "max"]);

/** A time series panel: `span` of 24 columns, 8 rows high. */
export function timeseries(title: string, description: string, span: number, targets: DataqueryBuilder[]): TimeseriesBuilder {
  const panel = new TimeseriesBuilder().title(title).description(description).datasource(prometheusDs).span(span).height(8).legend(tableLegend());
  for (const t of targets) panel.withTarget(t);
  return panel;
}

/** Counts per interval as bars: drops are discrete events, a line would suggest a continuum. */
export function eventBars(title: string, description: string, span: number, targets: DataqueryBuilder[]): TimeseriesBuilder {
  return timeseries(title, description, span, targets)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(80)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .decimals(0)
    .min(0);
}

/** A single-value panel (last value), 4 rows high. */
export function stat(title: string, description: string, span: number, target: DataqueryBuilder): StatBuilder {
  return new StatBuilder()
    .title(title)
    .description(description)
    .datasource(prometheusDs)
    .span(span)
    .height(4)
    .withTarget(target)
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Background)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
}

/** A heatmap of ended sessions per duration bucket; `bucketCounts` gives each bucket's count by `le`. */
export function durationHeatmap(title: string, description: string, bucketCounts: string): HeatmapBuilder {
  return new HeatmapBuilder()
    .title(title)
    .description(description)
    .datasource(prometheusDs)
    .span(12)
    .height(9)
    .withTarget(prom(bucketCounts, "{{le}}").format(PromQueryFormat.Heatmap))
    .calculate(false)
    .yAxis(new YAxisConfigBuilder().unit("s").axisPlacement(common.AxisPlacement.Left))
    .cellGap(1)
    .showValue(common.VisibilityMode.Never);
}

/** p50 / p90 / p99 of session length on a log scale; `quantile` gives one quantile's query. */
export function sessionQuantiles(description: string, quantile: (q: number, refId: string) => DataqueryBuilder): TimeseriesBuilder {
  return timeseries("Session duration quantiles", description, 6, [quantile(0.5, "A"), quantile(0.9, "B"), quantile(0.99, "C")])
    .unit("s")
    .scaleDistribution(new common.ScaleDistributionConfigBuilder().type(common.ScaleDistribution.Log).log(10));
}
