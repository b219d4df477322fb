import { PanelBuilder as BarGaugeBuilder } from "@grafana/grafana-foundation-sdk/bargauge";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as PieChartBuilder, PieChartType } from "@grafana/grafana-foundation-sdk/piechart";
import { PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as TableBuilder } from "@grafana/grafana-foundation-sdk/table";
import { allPanels, toExport, type ExportedDashboard } from "./export-envelope.js";
import { durationHeatmap, eventBars, prom, promInstant, sessionQuantiles, stat, timeseries } from "./panels.js";
import { FLEET_METRIC, FLEET_SEL, prometheusDs, sel } from "./selectors.js";
import { exporterVariable, EXPORTER_VAR, jobVariable, prometheusVariable } from "./variables.js";

export const DEVICE_FLEET_UID = "mqtt-diagnostics-device-fleet";
/** The data links from a device of the top-K table to its detail (a page in a browser): on the `exporter` variable's URL, and on the replica that holds it. */
export const DEVICE_LINKS = [
  {
    title: "The device's detail on $exporter (diagnosis, timeline, drops)",
    url: `\${${EXPORTER_VAR}}/fleet/devices/\${__data.fields.client_id:percentencode}`,
    targetBlank: true,
  },
  {
    title: "The device's detail on its replica (the address Prometheus scrapes)",
    url: "http://${__data.fields.instance}/fleet/devices/${__data.fields.client_id:percentencode}",
    targetBlank: true,
  },
];

/** A fleet-mode series of every replica of the job: the queries sum over `instance` (each device is on one replica). */
const f = (metric: string, extra?: string) => sel(metric, extra, FLEET_SEL);
const PROBLEM = 'cause!~"healthy|insufficient_data"';
const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false);
const fleetQuantile = (q: number, bucket: string, refId: string) =>
  prom(`histogram_quantile(${q}, sum by (le) (rate(${f(bucket)}[$__rate_interval])))`, `p${q * 100}`, refId);

function nowPanels() {
  return [
    stat(
      "Devices",
      "Devices the fleet's replicas know (every client ID AWS or the device itself reported), summed over the replicas.",
      6,
      promInstant(`sum(${f(FLEET_METRIC.byTransport)})`, "devices"),
    ).colorMode(common.BigValueColorMode.None),
    stat("Connected devices", "Devices whose newest AWS session is open.", 6, promInstant(`sum(${f(FLEET_METRIC.connected)})`, "connected")).colorMode(
      common.BigValueColorMode.None,
    ),
    stat(
      "Devices with a problem",
      "Devices whose first cause is a cause, not healthy or insufficient_data.",
      6,
      promInstant(`sum(${f(FLEET_METRIC.devices, PROBLEM)}) or vector(0)`, "devices"),
    ).thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
        { value: null, color: "green" },
        { value: 1, color: "orange" },
      ]),
    ),
    stat(
      "Replicas",
      "Fleet replicas reporting (each a Prometheus target; every figure here is summed over them).",
      6,
      promInstant(`count(${f(FLEET_METRIC.connected)})`, "replicas"),
    ).colorMode(common.BigValueColorMode.None),
  ];
}

function causePanels() {
  return [
    timeseries(
      "Causes over time",
      "Devices by first cause (the diagnosis's most likely cause per device), summed over the replicas: a cause that grows is getting worse.",
      16,
      [prom(`sum by (cause) (${f(FLEET_METRIC.devices)})`, "{{cause}}")],
    )
      .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
      .fillOpacity(40)
      .decimals(0)
      .min(0),
    new BarGaugeBuilder()
      .title("Devices by first cause now")
      .description("The fleet's causes right now; /fleet/devices?cause=NAME on the exporter lists their devices.")
      .datasource(prometheusDs)
      .span(8)
      .height(8)
      .withTarget(promInstant(`sort_desc(sum by (cause) (${f(FLEET_METRIC.devices)}))`, "{{cause}}"))
      .displayMode(common.BarGaugeDisplayMode.Basic)
      .orientation(common.VizOrientation.Horizontal)
      .reduceOptions(lastValue())
      .decimals(0)
      .min(0),
    timeseries("Drops by cause", "Drops of the devices of each first cause (their AWS disconnects, or their own drops when they ship evidence).", 24, [
      prom(`sum by (cause) (${f(FLEET_METRIC.dropsByCause)})`, "{{cause}}"),
    ])
      .decimals(0)
      .min(0),
  ];
}

function awsPanels() {
  return [
    eventBars(
      "AWS disconnect reasons",
      "AWS IoT Core's disconnectReason of the fleet's disconnects per interval (its lifecycle events, each counted once).",
      12,
      [prom(`sum by (reason) (increase(${f(FLEET_METRIC.awsEvents, 'event_type="disconnected"')}[$__rate_interval]))`, "{{reason}}")],
    ),
    eventBars("Connects and refused connects", "Connects per interval, and connects AWS refused by reason (connect_failed events).", 12, [
      prom(`sum(increase(${f(FLEET_METRIC.awsEvents, 'event_type="connected"')}[$__rate_interval]))`, "connects", "A"),
      prom(`sum by (reason) (increase(${f(FLEET_METRIC.awsEvents, 'event_type="connect_failed"')}[$__rate_interval]))`, "refused: {{reason}}", "B"),
    ]),
    timeseries("Connected devices", "Devices with an open session, the fleet's total and each replica's share (its shards' devices).", 24, [
      prom(`sum(${f(FLEET_METRIC.connected)})`, "fleet", "A"),
      prom(`sum by (instance) (${f(FLEET_METRIC.connected)})`, "{{instance}}", "B"),
    ])
      .decimals(0)
      .min(0),
  ];
}

function sessionPanels() {
  return [
    durationHeatmap(
      "Session duration distribution",
      "Ended sessions of every device per duration bucket, from AWS's connect and disconnect of each session. A band at one duration is a timer: a few seconds two devices sharing a client ID, 86400 s AWS's 24-hour limit.",
      `sum by (le) (increase(${f(FLEET_METRIC.sessionDurationBucket)}[$__rate_interval]))`,
    ),
    sessionQuantiles("p50 / p90 / p99 of the fleet's ended sessions.", (q, refId) => fleetQuantile(q, FLEET_METRIC.sessionDurationBucket, refId)),
    timeseries(
      "Time to reconnect",
      "From a device's disconnect to its next connect, fleet-wide: long waits mean backoff, throttling or devices that cannot get back.",
      6,
      [fleetQuantile(0.5, FLEET_METRIC.timeToReconnectBucket, "A"), fleetQuantile(0.95, FLEET_METRIC.timeToReconnectBucket, "B")],
    ).unit("s"),
  ];
}

function devicePanels() {
  return [
    new TableBuilder()
      .title("Top devices by drops")
      .description(
        "The top K devices by drops of each cause (fleet.top_k per replica; each device is on the replica that reads its shard), the only per-device series. A client ID links to that device's detail on the exporter: on the `exporter` variable's URL, or on the replica that holds it.",
      )
      .datasource(prometheusDs)
      .span(16)
      .height(10)
      .withTarget(promInstant(`sort_desc(max by (cause, client_id, instance) (${f(FLEET_METRIC.topDrops)}))`, "{{client_id}}").format(PromQueryFormat.Table))
      .withTransformation({
        id: "organize",
        options: { excludeByName: { Time: true }, indexByName: { client_id: 0, cause: 1, Value: 2, instance: 3 }, renameByName: { Value: "drops" } },
      })
      .sortBy([new common.TableSortByFieldStateBuilder().displayName("drops").desc(true)])
      .decimals(0)
      .overrideByName("client_id", [{ id: "links", value: DEVICE_LINKS }]),
    new PieChartBuilder()
      .title("Devices by transport")
      .description("From the evidence the devices ship (unknown: they ship none).")
      .datasource(prometheusDs)
      .span(8)
      .height(10)
      .withTarget(promInstant(`sum by (transport) (${f(FLEET_METRIC.byTransport)})`, "{{transport}}"))
      .pieType(PieChartType.Donut)
      .reduceOptions(lastValue())
      .decimals(0),
    timeseries(
      "Evidence",
      "The devices' own events applied per second, events their backlogs discarded before shipping, and messages on the fleet's topics that were neither an event nor evidence.",
      24,
      [
        prom(`sum(rate(${f(FLEET_METRIC.evidenceEvents)}[$__rate_interval]))`, "applied", "A"),
        prom(`sum(rate(${f(FLEET_METRIC.evidenceDiscarded)}[$__rate_interval]))`, "discarded by the devices", "B"),
        prom(`sum(rate(${f(FLEET_METRIC.rejected)}[$__rate_interval]))`, "rejected", "C"),
      ],
    )
      .unit("ops")
      .min(0),
  ];
}

/** The rows, top to bottom, each built afresh (builders are mutable). */
const ROWS: [string, () => cog.Builder<dashboard.Panel>[]][] = [
  ["Fleet now", nowPanels],
  ["Causes", causePanels],
  ["AWS IoT Core's side", awsPanels],
  ["Sessions", sessionPanels],
  ["Devices", devicePanels],
];

/** The device fleet (`mqtt-diagnostics fleet`): every device's cause, AWS's reasons, fleet-wide sessions, the worst devices linked to their detail. */
export function deviceFleetDashboard(): ExportedDashboard {
  const builder = new dashboard.DashboardBuilder("MQTT diagnostics: device fleet")
    .uid(DEVICE_FLEET_UID)
    .description(
      "Every device of an AWS IoT Core fleet as mqtt-diagnostics-exporter's fleet mode sees it (AWS's lifecycle events and the devices' own evidence, joined per device), summed over its replicas.",
    )
    .tags(["mqtt", "aws-iot", "mqtt-device-fleet"])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: "now-24h", to: "now" })
    .timezone("browser")
    .refresh("1m")
    .variables([prometheusVariable(), jobVariable(), exporterVariable()])
    .link(
      new dashboard.DashboardLinkBuilder("The exporter's fleet page").type(dashboard.DashboardLinkType.Link).url(`\${${EXPORTER_VAR}}/fleet`).targetBlank(true),
    );
  for (const [title, panels] of ROWS) {
    builder.withRow(new dashboard.RowBuilder(title));
    for (const panel of panels()) builder.withPanel(panel);
  }
  const model = builder.build();
  return toExport(
    model,
    ["prometheus"],
    allPanels(model)
      .map((p) => p.type)
      .filter((t) => t !== "row"),
  );
}
