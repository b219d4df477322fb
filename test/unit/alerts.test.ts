import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertsYaml, DEFAULT_RUNBOOK_BASE, RUNBOOK_BASE_ENV } from "../../dashboards/src/alerts.js";
import { generatorOptions } from "../../dashboards/src/generate.js";
import { metricNamesIn } from "../../dashboards/src/promql.js";
import { PING_TIMEOUT_ERROR_NAMES } from "../../src/diagnosis/signals.js";
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
const anchors = new Set(
  [...RUNBOOK.matchAll(/^#+\s+(.+)$/gm)].map((m) =>
    m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\w\- ]/g, "")
      .replace(/ /g, "-"),
  ),
);

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
      "MqttExporterDown",
    ]);
    for (const r of rules) expect(tests, r.alert).toContain(`alertname: ${r.alert}`);
  });

  it.each(rules.map((r) => [r.alert, r] as const))(
    "%s has summary, description, severity, for and an absolute runbook URL to its section of docs/alerts-runbook.md",
    (_name, r) => {
      expect(r.annotations?.["summary"]).toBeTruthy();
      expect(r.annotations?.["description"]).toBeTruthy();
      expect(["critical", "warning", "info"]).toContain(r.labels?.["severity"]);
      expect(r.for).toMatch(/^\d+[smh]$/);
      const url = r.annotations?.["runbook_url"] ?? "";
      expect(url.startsWith(`${DEFAULT_RUNBOOK_BASE}#`), url).toBe(true);
      expect(DEFAULT_RUNBOOK_BASE).toMatch(/^https:\/\/.+\/docs\/alerts-runbook\.md$/);
      const anchor = url.slice(DEFAULT_RUNBOOK_BASE.length + 1);
      expect(anchor, "runbook_url").toBeDefined();
      expect(anchors.has(anchor), `the runbook has no heading for #${anchor}`).toBe(true);
    },
  );

  it("use only metric names from the golden exposition", () => {
    for (const r of rules) {
      for (const metric of metricNamesIn(r.expr)) {
        expect(GOLDEN, `${r.alert}: ${metric}`).toMatch(new RegExp(`^${metric}[{ ]`, "m"));
      }
    }
  });

  it("are what the generator writes: dashboards/alerts.yml is generated from dashboards/src/alerts.ts", () => {
    // If this fails: npm run dashboards:generate, and commit dashboards/alerts.yml.
    expect(readFileSync(RULES, "utf8")).toBe(alertsYaml());
  });

  it("build every runbook URL from one configurable base (--runbook-base, else the environment)", () => {
    const fromFlag = generatorOptions(["out", "--runbook-base", "https://wiki.example/mqtt/runbook"], { [RUNBOOK_BASE_ENV]: "https://env.example/rb" });
    expect(fromFlag.dir).toBe("out");
    const text = alertsYaml(fromFlag.alerts);
    const urls = [...text.matchAll(/runbook_url: (\S+)/g)].map((m) => m[1]);
    expect(urls).toHaveLength(rules.length);
    for (const u of urls) expect(u).toMatch(/^https:\/\/wiki\.example\/mqtt\/runbook#mqtt[a-z]+$/);
    expect(generatorOptions([], { [RUNBOOK_BASE_ENV]: "https://env.example/rb" }).alerts.runbookBase).toBe("https://env.example/rb");
    expect(generatorOptions([], {}).alerts.runbookBase).toBe(DEFAULT_RUNBOOK_BASE);
    expect(() => generatorOptions(["--runbook-base", "docs/alerts-runbook.md"], {})).toThrow(
      /--runbook-base: 'docs\/alerts-runbook.md' is not an http\(s\) URL/,
    );
  });

  it("match ping timeouts by the error names the diagnosis reads (declared once)", () => {
    const expr = rules.find((r) => r.alert === "MqttPingTimeoutsRepeating")?.expr ?? "";
    expect(expr).toContain(`error_name=~"${PING_TIMEOUT_ERROR_NAMES.join("|")}"`);
  });
});
