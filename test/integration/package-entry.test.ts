import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The built package as an application gets it: imported by name (resolved through package.json's
// exports, from inside the repository), and packed as npm would publish it.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

/** What a fresh process has loaded after importing `entry`: aws-crt's native module? which packages? */
function loadedBy(entry: string): { crt: boolean; packages: string[] } {
  const probe = `await import(process.argv[1]);
const crt = process.report.getReport().sharedObjects.some((s) => s.includes("aws-crt"));
const { createRequire } = await import("node:module");
const packages = Object.keys(createRequire(import.meta.url).cache).map((p) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(p)?.[1]).filter(Boolean);
process.stdout.write(JSON.stringify({ crt, packages: [...new Set(packages)] }));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", probe, entry], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${entry}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { crt: boolean; packages: string[] };
}

describe("the package's entries", () => {
  it.each(["mqtt-diagnostics-exporter", "mqtt-diagnostics-exporter/collector", "mqtt-diagnostics-exporter/journal", "mqtt-diagnostics-exporter/diagnosis"])(
    "%s: importing it loads neither aws-crt nor the SDK (they load with a client), nor the OTLP exporter (with a push)",
    (entry) => {
      if (!existsSync(join(ROOT, "dist", "src", "index.js"))) throw new Error("the built package is missing: run npm run build (npm test does)");
      const loaded = loadedBy(entry);
      expect(loaded.crt).toBe(false);
      expect(loaded.packages.filter((p) => ["aws-crt", "aws-iot-device-sdk-v2", "@opentelemetry/exporter-metrics-otlp-http"].includes(p))).toEqual([]);
    },
    30_000,
  );

  it("publishes neither the emulator nor the demo, and installs neither aedes nor mqtt-packet for a library user", () => {
    const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" })) as [
      { files: { path: string }[] },
    ];
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain("dist/src/index.js");
    // The bin is the bundled CLI: its entry and replay's own bundle are published.
    expect(paths).toEqual(expect.arrayContaining(["dist/cli/main.js", "dist/cli/replay-main.js", "dist/cli/run-cli.js"]));
    expect(paths).toContain("dist/src/exports/journal.js");
    expect(paths.filter((p) => /^dist\/src\/(emulator|demo)\//.test(p) && !p.includes("scenario-names"))).toEqual([]);
    const installed = { ...pkg.dependencies, ...pkg.optionalDependencies };
    expect(Object.keys(installed).filter((d) => d === "aedes" || d === "mqtt-packet")).toEqual([]);
  }, 60_000);
});
