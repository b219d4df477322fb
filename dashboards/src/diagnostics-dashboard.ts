import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { dropAnnotation, serverDisconnectAnnotation } from "./annotations.js";
import { allPanels, toExport, type ExportedDashboard } from "./export-envelope.js";
import { awsIotRow } from "./rows/aws-iot.js";
import { dropsRow } from "./rows/drops.js";
import { nowRow } from "./rows/now.js";
import type { RowContent } from "./rows/row.js";
import { sessionsRow } from "./rows/sessions.js";
import { trafficRow } from "./rows/traffic.js";
import { diagnosticsVariables } from "./variables.js";

export const DIAGNOSTICS_UID = "mqtt-diagnostics";
export const ROWS: RowContent[] = [nowRow, dropsRow, sessionsRow, trafficRow, awsIotRow];

/** The per-connection dashboard: "why did it drop?" next to what AWS IoT saw. */
export function diagnosticsDashboard(): ExportedDashboard {
  const builder = new dashboard.DashboardBuilder("MQTT diagnostics")
    .uid(DIAGNOSTICS_UID)
    .description("Why MQTT connections to AWS IoT Core drop: the client's view (mqtt-diagnostics-exporter) beside AWS/IoT CloudWatch metrics.")
    .tags(["mqtt", "aws-iot", "mqtt-diagnostics-exporter"])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .time({ from: "now-6h", to: "now" })
    .timezone("browser")
    .refresh("30s")
    .variables(diagnosticsVariables())
    .annotations([dropAnnotation(), serverDisconnectAnnotation()])
    .link(new dashboard.DashboardLinkBuilder("Fleet").type(dashboard.DashboardLinkType.Dashboards).tags(["mqtt-fleet"]).keepTime(true).includeVars(false));
  for (const row of ROWS) {
    builder.withRow(new dashboard.RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(panel);
  }
  const model = builder.build();
  return toExport(
    model,
    ["prometheus", "cloudwatch"],
    allPanels(model)
      .map((p) => p.type)
      .filter((t) => t !== "row"),
  );
}
