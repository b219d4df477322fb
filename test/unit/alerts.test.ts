import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { metricNamesIn } from "../../dashboards/src/promql.js";
import { promtool } from "../helpers/prometheus.js";

const path = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const RULES = path("dashboards/alerts.yml");
const GOLDEN = readFileSync(path("test/golden/exposition.prom"), "utf8");
const RUNBOOK = readFileSync(path("docs/alerts-runbook.md"), "utf8");

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = (parse(readFileSync(RULES, "utf8")) as { groups: { rules: AlertRule[] }[] }).groups.flatMap((g) => g.rules);

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
const anchors = new Set([...RUNBOOK.matchAll(/^#+\s+(.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-")));

describe("alert rules", () => {
  it("pass promtool check rules", () => {
    const r = spawnSync(promtool(), ["check", "rules", RULES], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("pass their promtool unit tests (firing and not firing)", () => {
    const r = spawnSync(promtool(), ["test", "rules", path("dashboards/alerts.test.yml")], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("cover the issue's cases, each tested", () => {
    const tests = readFileSync(path("dashboards/alerts.test.yml"), "utf8");
    expect(rules.map((r) => r.alert)).toEqual([
      "MqttConnectionDown",
      "MqttDropRateHigh",
      "MqttReconnectStorm",
      "MqttDuplicateClientId",
      "MqttPingTimeoutsRepeating",
      "MqttExporterJournalWriteErrors",
    ]);
    for (const r of rules) expect(tests, r.alert).toContain(`alertname: ${r.alert}`);
  });

  it.each(rules.map((r) => [r.alert, r] as const))("%s has summary, description, severity, for and a runbook anchor in docs/alerts-runbook.md", (_name, r) => {
    expect(r.annotations?.["summary"]).toBeTruthy();
    expect(r.annotations?.["description"]).toBeTruthy();
    expect(["critical", "warning", "info"]).toContain(r.labels?.["severity"]);
    expect(r.for).toMatch(/^\d+[smh]$/);
    const anchor = /^docs\/alerts-runbook\.md#(.+)$/.exec(r.annotations?.["runbook_url"] ?? "")?.[1];
    expect(anchor, "runbook_url").toBeDefined();
    expect(anchors.has(anchor!), `the runbook has no heading for #${anchor}`).toBe(true);
  });

  it("use only metric names from the golden exposition", () => {
    for (const r of rules) {
      for (const metric of metricNamesIn(r.expr)) {
        expect(GOLDEN, `${r.alert}: ${metric}`).toMatch(new RegExp(`^${metric}[{ ]`, "m"));
      }
    }
  });
});
