import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWS_IOT_CONNECT_METRICS, AWS_IOT_OTHER_METRICS } from "../../dashboards/src/rows/aws-iot.js";
import { DIAGNOSTICS_UID } from "../../dashboards/src/diagnostics-dashboard.js";
import { allPanels, toJsonText, type ExportedDashboard } from "../../dashboards/src/export-envelope.js";
import { FLEET_UID } from "../../dashboards/src/fleet-dashboard.js";
import { DEVICE_FLEET_UID, DEVICE_LINKS } from "../../dashboards/src/device-fleet-dashboard.js";
import { DASHBOARD_FILES, DEVICE_FLEET_DASHBOARDS } from "../../dashboards/src/generate.js";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { createTelemetry, type Telemetry } from "../../src/metrics/telemetry.js";
import { fleetReplica } from "../helpers/fleet-telemetry.js";
import { dashboardExpressions, metricNamesIn } from "../../dashboards/src/promql.js";

const file = (name: string) => fileURLToPath(new URL(`../../dashboards/${name}`, import.meta.url));
const committed = (name: string) => JSON.parse(readFileSync(file(name), "utf8")) as ExportedDashboard;
const GOLDEN = readFileSync(fileURLToPath(new URL("../golden/exposition.prom", import.meta.url)), "utf8");

// The device fleet's series come from fleet mode: a replica's real exposition, every scenario played.
let fleetTelemetry: Telemetry;
let FLEET_EXPOSITION = "";
beforeAll(async () => {
  fleetTelemetry = createTelemetry({
    registry: new CollectorRegistry({ logger: { warn: () => undefined, error: () => undefined } }),
    serviceVersion: "0.0.0-test",
    cacheMaxAgeMs: 0,
  });
  fleetReplica(fleetTelemetry, { perScenario: 2, seed: 5 });
  FLEET_EXPOSITION = (await fleetTelemetry.render()).body;
});
afterAll(async () => fleetTelemetry?.shutdown());
/** The exposition a dashboard's queries read: fleet mode's for the device fleet, serve's golden one for the others. */
const expositionFor = (name: string) => (name in DEVICE_FLEET_DASHBOARDS ? FLEET_EXPOSITION : GOLDEN);

type Grid = { x: number; y: number; w: number; h: number };

describe.each(Object.keys(DASHBOARD_FILES))("%s", (name) => {
  const d = committed(name);
  const panels = allPanels(d);

  it("is what the generator writes (run npm run dashboards:generate after changing dashboards/src)", () => {
    expect(readFileSync(file(name), "utf8")).toBe(toJsonText(DASHBOARD_FILES[name]!()));
  });

  it("has unique panel ids", () => {
    const ids = panels.map((p) => p.id);
    expect(ids.every((id) => typeof id === "number")).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("lays panels out on the 24-column grid without overlaps", () => {
    const grids = panels.map((p) => ({ title: p.title, g: p.gridPos as Grid }));
    for (const { title, g } of grids) {
      expect(g, title).toBeDefined();
      expect(g.x >= 0 && g.w > 0 && g.h > 0 && g.x + g.w <= 24, `${title} ${JSON.stringify(g)}`).toBe(true);
    }
    for (let i = 0; i < grids.length; i++) {
      for (let j = i + 1; j < grids.length; j++) {
        const a = grids[i]!.g;
        const b = grids[j]!.g;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${grids[i]!.title} overlaps ${grids[j]!.title}`).toBe(false);
      }
    }
  });

  it("names a datasource variable on every panel and query, declared in templating and __inputs", () => {
    const dsVars = new Map((d.templating.list ?? []).filter((v) => (v.type as string) === "datasource").map((v) => [v.name, v.query as string]));
    for (const p of panels) {
      if (p.type === "row") continue; // rows hold no queries
      const ds = p.datasource as { type: string; uid: string };
      const variable = /^\$\{(\w+)\}$/.exec(ds?.uid ?? "")?.[1];
      expect(variable, `panel ${p.title}`).toBeDefined();
      expect(dsVars.get(variable!), `panel ${p.title}`).toBe(ds.type);
      for (const t of (p as { targets?: { datasource?: unknown }[] }).targets ?? []) expect(t.datasource, `target of ${p.title}`).toEqual(ds);
    }
    for (const a of d.annotations.list ?? []) expect(dsVars.has(/^\$\{(\w+)\}$/.exec(a.datasource?.uid ?? "")?.[1] ?? ""), `annotation ${a.name}`).toBe(true);
    const inputs = new Set(d.__inputs.map((i) => `\${${i.name}}`));
    for (const v of d.templating.list ?? []) if ((v.type as string) === "datasource") expect(inputs.has((v.current?.value as string) ?? ""), v.name).toBe(true);
  });

  it("has template variables for job and uses only metric names of a real exposition (the golden one; fleet mode's for the device fleet)", () => {
    const names = (d.templating.list ?? []).map((v) => v.name);
    expect(names).toContain("job");
    const exprs = dashboardExpressions(d);
    expect(exprs.length).toBeGreaterThan(3);
    const exposition = expositionFor(name);
    expect(exposition).toMatch(/^mqtt_/m);
    for (const { where, expr } of exprs) {
      for (const metric of metricNamesIn(expr)) {
        expect(exposition, `${where}: ${metric}`).toMatch(new RegExp(`^${metric}[{ ]`, "m"));
      }
    }
  });
});

describe("the diagnostics dashboard", () => {
  const d = committed("mqtt-diagnostics.json");

  it("keeps its uid, variables, rows and drop annotations", () => {
    expect(d.uid).toBe(DIAGNOSTICS_UID);
    expect(committed("mqtt-fleet.json").uid).toBe(FLEET_UID);
    expect((d.templating.list ?? []).map((v) => v.name)).toEqual(
      expect.arrayContaining(["datasource", "cloudwatch", "job", "instance", "connection", "region"]),
    );
    expect(
      allPanels(d)
        .filter((p) => p.type === "row")
        .map((p) => p.title),
    ).toEqual(["Now", "Drops", "Sessions", "Traffic", "AWS IoT (CloudWatch)"]);
    const drops = (d.annotations.list ?? []).find((a) => a.name === "Drops");
    expect(drops?.titleFormat).toContain("{{error_name}}");
    expect(allPanels(d).some((p) => p.type === "heatmap")).toBe(true);
  });

  it("queries every AWS/IoT metric by Protocol in the selected region", () => {
    const targets = allPanels(d).flatMap((p) => ((p as { targets?: Record<string, unknown>[] }).targets ?? []).filter((t) => t["namespace"] === "AWS/IoT"));
    expect(targets.map((t) => t["metricName"]).sort()).toEqual([...AWS_IOT_CONNECT_METRICS, ...AWS_IOT_OTHER_METRICS].sort());
    for (const t of targets) {
      expect(t["region"]).toBe("$region");
      expect(Object.keys(t["dimensions"] as object)).toEqual(["Protocol"]);
    }
  });
});

describe("the device fleet dashboard", () => {
  const d = committed("mqtt-device-fleet.json");

  it("keeps its uid and variables; the exporter's URL is a text box", () => {
    expect(d.uid).toBe(DEVICE_FLEET_UID);
    expect((d.templating.list ?? []).map((v) => [v.name, v.type])).toEqual([
      ["datasource", "datasource"],
      ["job", "query"],
      ["exporter", "textbox"],
    ]);
  });

  it("sums over the replicas: every query aggregates, and only the per-replica views keep `instance`", () => {
    for (const { where, expr } of dashboardExpressions(d)) {
      if (where.startsWith("variable")) continue;
      expect(expr, where).toMatch(/^(sum|count|sort_desc|histogram_quantile)\b/);
      if (/\binstance\b/.test(expr)) expect(where, expr).toMatch(/"(Connected devices|Top devices by drops)"/);
    }
  });

  it("has the panels the fleet view needs: causes over time, AWS's reasons, connected devices, fleet-wide histograms, the top devices linked to their detail", () => {
    const panels = allPanels(d);
    const titles = panels.map((p) => p.title);
    for (const t of [
      "Causes over time",
      "AWS disconnect reasons",
      "Connected devices",
      "Session duration distribution",
      "Time to reconnect",
      "Top devices by drops",
    ])
      expect(titles).toContain(t);
    const table = panels.find((p) => p.title === "Top devices by drops") as {
      fieldConfig: { overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[] };
    };
    const override = table.fieldConfig.overrides.find((o) => o.matcher.options === "client_id");
    expect(override?.properties).toEqual([{ id: "links", value: DEVICE_LINKS }]);
    expect(DEVICE_LINKS.map((l) => l.url)).toEqual([
      "${exporter}/fleet/devices/${__data.fields.client_id:percentencode}",
      "http://${__data.fields.instance}/fleet/devices/${__data.fields.client_id:percentencode}",
    ]);
  });
});
