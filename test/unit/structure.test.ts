import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
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
});
