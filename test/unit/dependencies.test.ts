import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const sources = readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => readFileSync(join(ROOT, "src", f), "utf8"));
const imported = (name: string) => sources.some((s) => s.includes(`"${name}"`) || s.includes(`"${name}/`));

describe("package.json", () => {
  it("installs with the package only what src imports (what tests or benches use is a devDependency)", () => {
    const unused = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).filter((name) => !imported(name));
    expect(unused).toEqual([]);
  });
});
