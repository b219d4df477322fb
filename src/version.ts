import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

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

/** An installed package's version (as resolved from here), or "unknown" when it is not installed. */
export function installedVersion(name: string): string {
  try {
    const path = createRequire(import.meta.url).resolve(`${name}/package.json`);
    const pkg = JSON.parse(readFileSync(path, "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

/** The aws-crt and SDK versions: drops are often fixed by an upgrade, so build_info names them. */
export const awsCrtVersion = installedVersion("aws-crt");
export const sdkVersion = installedVersion("aws-iot-device-sdk-v2");
