import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../../src/cli/commands.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The modules `file` loads when it is imported: its static imports, followed (type-only imports and import() left out). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(join(ROOT, file), "utf8");
  for (const [, spec] of source.matchAll(/^import (?!type )(?:[^"']*? from )?["']([^"']+)["'];?$/gm)) {
    if (spec === undefined) continue;
    if (!spec.startsWith(".")) seen.add(spec);
    else staticClosure(relative(ROOT, join(ROOT, dirname(file), spec.replace(/\.js$/, ".ts"))), seen);
  }
  return seen;
}

describe("the commands", () => {
  it("are serve (the default, first), replay, fleet, fleet-replay and check-config, each named once", () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(["serve", "replay", "fleet", "fleet-replay", "check-config"]);
    expect(COMMANDS.filter((c) => c.isDefault === true).map((c) => c.name)).toEqual(["serve"]);
  });

  it("their flag tables and help load nothing heavy: run-cli's static imports are small modules only", () => {
    expect([...staticClosure("src/cli/run-cli.ts")].sort()).toEqual(
      [
        "src/cli/check-config-options.ts",
        "src/cli/commands.ts",
        "src/cli/flag-table.ts",
        "src/cli/fleet-options.ts",
        "src/cli/fleet-replay-options.ts",
        "src/cli/help-text.ts",
        "src/cli/replay-options.ts",
        "src/cli/run-cli.ts",
        "src/cli/run-command.ts",
        "src/cli/serve-options.ts",
        "src/cli/stop-signals.ts",
        "src/demo/scenario-names.ts",
        "src/errors.ts",
        // The default port's owner: parses --web.listen-address (node:net's isIP, nothing more).
        "src/service/listen-address.ts",
        "node:net",
        "node:util",
      ].sort(),
    );
  });

  it.each(["replay", "fleet-replay"])("%s loads none of serve's modules, nor the SDK or the HTTP server", (name) => {
    const loaded = [...staticClosure(`src/cli/${name}-command.ts`)];
    expect(loaded.filter((m) => /serve-command|src\/(service|http|demo|mqtt)\/|aws-iot-device-sdk|aws-crt|fastify|pino/.test(m))).toEqual([]);
  });
});
