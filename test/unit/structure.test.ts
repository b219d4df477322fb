import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Every module under src/ has its own test: test/unit/<same path>.test.ts for a pure module,
// test/integration/<same path>.test.ts for one that needs brokers or processes.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function modules(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return modules(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function ownTest(module: string): string | undefined {
  const rel = relative("src", module).replace(/\.ts$/, ".test.ts");
  return ["test/unit", "test/integration"].map((d) => join(d, rel)).find((t) => existsSync(join(ROOT, t)));
}

describe("tests mirror the source", () => {
  const all = modules("src").sort();

  it("every module has its own test file", () => {
    expect(all.filter((m) => ownTest(m) === undefined)).toEqual([]);
  });

  it("no module is over 250 lines", () => {
    const long = all.map((m) => [m, readFileSync(join(ROOT, m), "utf8").split("\n").length - 1] as const).filter(([, n]) => n > 250);
    expect(long).toEqual([]);
  });

  it("imports run one way: each layer imports only layers below it", () => {
    const upward: string[] = [];
    for (const m of all) {
      const text = readFileSync(join(ROOT, m), "utf8");
      for (const [, spec] of text.matchAll(/(?:from|import\()\s*"(\.[^"]+)"/g)) {
        const target = normalize(join(dirname(m), spec as string)).replace(/\.js$/, ".ts");
        const [from, to] = [layerOf(m), layerOf(target)];
        if (areaOf(m) !== areaOf(target) && to >= from) upward.push(`${m} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });
});

/** The layers, core at the bottom: a module may import its own area (folder) and the layers below. */
const LAYERS: readonly (readonly string[])[] = [
  ["errors", "version", "text", "clock", "ring-buffer"],
  // The AWS lifecycle join: below the collector, which holds a ledger per connection.
  ["aws-join"],
  ["collector"],
  ["config", "journal", "diagnosis", "emulator"],
  // metrics above diagnosis: registerInstruments' mqtt_client_diagnosis reads a diagnoser.
  ["metrics", "mqtt", "replay"],
  ["fleet"],
  ["http", "demo", "ship", "kinesis"],
  ["service"],
  ["cli"],
  ["index", "exports", "main"],
];
const areaOf = (module: string) => (relative("src", module).split("/")[0] as string).replace(/\.ts$/, "");
function layerOf(module: string): number {
  const layer = LAYERS.findIndex((areas) => areas.includes(areaOf(module)));
  if (layer < 0) throw new Error(`${module}: area ${areaOf(module)} is in no layer of LAYERS`);
  return layer;
}
