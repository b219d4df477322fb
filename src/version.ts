import { readFileSync } from "node:fs";

// Read once from package.json so the build_info metric and --version never disagree with it.
function readVersion(): string {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "mqtt-diagnostics-exporter" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // try the next location: src/ when run from source, dist/src/ when built
    }
  }
  return "0.0.0";
}

export const packageVersion = readVersion();
