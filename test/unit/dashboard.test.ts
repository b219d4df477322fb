import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AWS_IOT_CONNECT_METRICS, AWS_IOT_OTHER_METRICS } from "../../dashboards/src/rows/aws-iot.js";
import { DIAGNOSTICS_UID } from "../../dashboards/src/diagnostics-dashboard.js";
import { allPanels, toJsonText, type ExportedDashboard } from "../../dashboards/src/export-envelope.js";
import { FLEET_UID } from "../../dashboards/src/fleet-dashboard.js";
import { DASHBOARD_FILES } from "../../dashboards/src/generate.js";
import { dashboardExpressions, metricNamesIn } from "../../dashboards/src/promql.js";

const file = (name: string) => fileURLToPath(new URL(`../../dashboards/${name}`, import.meta.url));
const committed = (name: string) => JSON.parse(readFileSync(file(name), "utf8")) as ExportedDashboard;
const GOLDEN = readFileSync(fileURLToPath(new URL("../golden/exposition.prom", import.meta.url)), "utf8");

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

  it("has template variables for job and uses only metric names from the golden exposition", () => {
    const names = (d.templating.list ?? []).map((v) => v.name);
    expect(names).toContain("job");
    const exprs = dashboardExpressions(d);
    expect(exprs.length).toBeGreaterThan(3);
    for (const { where, expr } of exprs) {
      for (const metric of metricNamesIn(expr)) {
        expect(GOLDEN, `${where}: ${metric}`).toMatch(new RegExp(`^${metric}[{ ]`, "m"));
      }
    }
  });
});

describe("the diagnostics dashboard", () => {
  const d = committed("mqtt-diagnostics.json");

  it("keeps its uid, variables, rows and drop annotations", () => {
    expect(d.uid).toBe(DIAGNOSTICS_UID);
    expect(committed("mqtt-fleet.json").uid).toBe(FLEET_UID);
    expect((d.templating.list ?? []).map((v) => v.name)).toEqual(expect.arrayContaining(["datasource", "cloudwatch", "job", "instance", "connection", "region"]));
    expect(allPanels(d).filter((p) => p.type === "row").map((p) => p.title)).toEqual(["Now", "Drops", "Sessions", "Traffic", "AWS IoT (CloudWatch)"]);
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
