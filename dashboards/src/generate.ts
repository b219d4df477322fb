import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { diagnosticsDashboard } from "./diagnostics-dashboard.js";
import { toJsonText, type ExportedDashboard } from "./export-envelope.js";
import { fleetDashboard } from "./fleet-dashboard.js";

/** The committed files, by name under `dashboards/`. */
export const DASHBOARD_FILES: Record<string, () => ExportedDashboard> = {
  "mqtt-diagnostics.json": diagnosticsDashboard,
  "mqtt-fleet.json": fleetDashboard,
};

/** Writes every dashboard into `dir` (npm run dashboards:generate). */
export function writeDashboards(dir: string): string[] {
  return Object.entries(DASHBOARD_FILES).map(([name, build]) => {
    const path = join(dir, name);
    writeFileSync(path, toJsonText(build()));
    return path;
  });
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (isMain) {
  for (const path of writeDashboards(process.argv[2] ?? "dashboards")) console.log(`wrote ${path}`);
}
