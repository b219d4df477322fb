import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { alertsYaml, DEFAULT_ALERT_OPTIONS, RUNBOOK_BASE_ENV, type AlertOptions } from "./alerts.js";
import { deviceFleetDashboard } from "./device-fleet-dashboard.js";
import { diagnosticsDashboard } from "./diagnostics-dashboard.js";
import { toJsonText, type ExportedDashboard } from "./export-envelope.js";
import { fleetDashboard } from "./fleet-dashboard.js";

/** Dashboards of watched connections (`serve`'s series, `mqtt_client_*`), by file name under `dashboards/`. */
export const CONNECTION_DASHBOARDS: Record<string, () => ExportedDashboard> = {
  "mqtt-diagnostics.json": diagnosticsDashboard,
  "mqtt-fleet.json": fleetDashboard,
};
/** Dashboards of fleet mode's device fleet (`mqtt-diagnostics fleet`, `mqtt_fleet_*`). */
export const DEVICE_FLEET_DASHBOARDS: Record<string, () => ExportedDashboard> = {
  "mqtt-device-fleet.json": deviceFleetDashboard,
};
/** The committed files, by name under `dashboards/`. */
export const DASHBOARD_FILES: Record<string, () => ExportedDashboard> = { ...CONNECTION_DASHBOARDS, ...DEVICE_FLEET_DASHBOARDS };
export const ALERTS_FILE = "alerts.yml";

/** Writes every dashboard and the alert rules into `dir` (npm run dashboards:generate). */
export function writeDashboards(dir: string, alerts: AlertOptions = DEFAULT_ALERT_OPTIONS): string[] {
  const written = Object.entries(DASHBOARD_FILES).map(([name, build]) => {
    const path = join(dir, name);
    writeFileSync(path, toJsonText(build()));
    return path;
  });
  const rules = join(dir, ALERTS_FILE);
  writeFileSync(rules, alertsYaml(alerts));
  return [...written, rules];
}

/** `generate.js [DIR] [--runbook-base URL] [--job NAME]`; the runbook base also from the environment. */
export function generatorOptions(argv: string[], env: NodeJS.ProcessEnv): { dir: string; alerts: AlertOptions } {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { "runbook-base": { type: "string" }, job: { type: "string" } } });
  const runbookBase = values["runbook-base"] ?? env[RUNBOOK_BASE_ENV] ?? DEFAULT_ALERT_OPTIONS.runbookBase;
  if (!/^https?:\/\/\S+$/.test(runbookBase)) throw new Error(`--runbook-base: '${runbookBase}' is not an http(s) URL`);
  return { dir: positionals[0] ?? "dashboards", alerts: { runbookBase, job: values.job ?? DEFAULT_ALERT_OPTIONS.job } };
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (isMain) {
  try {
    const { dir, alerts } = generatorOptions(process.argv.slice(2), process.env);
    for (const path of writeDashboards(dir, alerts)) console.log(`wrote ${path}`);
  } catch (err) {
    console.error(`dashboards:generate: ${(err as Error).message}`);
    process.exitCode = 2;
  }
}
