import { PanelBuilder as BarGaugeBuilder } from "@grafana/grafana-foundation-sdk/bargauge";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as PieChartBuilder, PieChartType } from "@grafana/grafana-foundation-sdk/piechart";
import { allPanels, toExport, type ExportedDashboard } from "./export-envelope.js";
import { eventBars, prom, promInstant, stat } from "./panels.js";
import { BY_CONNECTION, FLEET_SEL, METRIC, prometheusDs, sel } from "./selectors.js";
import { jobVariable, prometheusVariable } from "./variables.js";

export const FLEET_UID = "mqtt-diagnostics-fleet";
const fleet = (metric: string, extra?: string) => sel(metric, extra, FLEET_SEL);
const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false);

/** Many exporters at once: which connections drop most, and which errors dominate. */
export function fleetDashboard(): ExportedDashboard {
  const builder = new dashboard.DashboardBuilder("MQTT diagnostics: fleet")
    .uid(FLEET_UID)
    .description("Every connection of every mqtt-diagnostics-exporter: the worst connections by drop rate and the mix of errors across the fleet.")
    .tags(["mqtt", "aws-iot", "mqtt-fleet"])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: "now-24h", to: "now" })
    .timezone("browser")
    .refresh("1m")
    .variables([prometheusVariable(), jobVariable()])
    .link(new dashboard.DashboardLinkBuilder("Per connection").type(dashboard.DashboardLinkType.Dashboards).tags(["mqtt-diagnostics-exporter"]).keepTime(true));
  builder
    .withRow(new dashboard.RowBuilder("Fleet"))
    .withPanel(
      stat("Connections", "Connections reported by all exporters.", 4, promInstant(`count(${fleet(METRIC.connected)})`, "connections")).colorMode(
        common.BigValueColorMode.None,
      ),
    )
    .withPanel(
      stat(
        "Connections down",
        "Connections not connected right now.",
        4,
        promInstant(`count(${fleet(METRIC.connected)} == 0) or vector(0)`, "down"),
      ).thresholds(
        new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
          { value: null, color: "green" },
          { value: 1, color: "red" },
        ]),
      ),
    )
    .withPanel(
      stat(
        "Drops in range",
        "Drops across the fleet in the selected time range.",
        4,
        promInstant(`sum(increase(${fleet(METRIC.drops)}[$__range]))`, "drops"),
      ).decimals(0),
    )
    .withPanel(
      new BarGaugeBuilder()
        .title("Top connections by drop rate")
        .description("The ten connections with the most drops per hour over the selected range; open the per-connection dashboard for the why.")
        .datasource(prometheusDs)
        .span(12)
        .height(8)
        .withTarget(promInstant(`topk(10, sum by (${BY_CONNECTION}) (rate(${fleet(METRIC.drops)}[$__range])) * 3600)`, "{{instance}} {{connection}}"))
        .unit("short")
        .displayMode(common.BarGaugeDisplayMode.Gradient)
        .orientation(common.VizOrientation.Horizontal)
        .reduceOptions(lastValue())
        .min(0),
    )
    .withPanel(
      new PieChartBuilder()
        .title("Error mix across the fleet")
        .description("Drops in the selected range by aws-crt error name, all connections together.")
        .datasource(prometheusDs)
        .span(12)
        .height(9)
        .withTarget(promInstant(`sum by (error_name) (increase(${fleet(METRIC.drops)}[$__range]))`, "{{error_name}}"))
        .pieType(PieChartType.Donut)
        .reduceOptions(lastValue())
        .decimals(0),
    )
    .withPanel(
      eventBars(
        "Drops over time by instance",
        "Drops per interval for each exporter instance: many instances at once points at AWS or a shared network, one instance at that device.",
        12,
        [prom(`sum by (job, instance) (increase(${fleet(METRIC.drops)}[$__rate_interval]))`, "{{instance}}")],
      ).height(9),
    );
  const model = builder.build();
  return toExport(
    model,
    ["prometheus"],
    allPanels(model)
      .map((p) => p.type)
      .filter((t) => t !== "row"),
  );
}
