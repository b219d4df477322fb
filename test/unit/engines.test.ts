import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// semver is already in the tree (fastify needs it); its types are not, hence the narrow cast.
const semver = createRequire(import.meta.url)("semver") as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { major: number } | null;
};
const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), "utf8");
const lock = JSON.parse(read("package-lock.json")) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const pkg = JSON.parse(read("package.json")) as { engines: { node: string }; devDependencies: Record<string, string> };
/** The Node major the image is built on: the one fact the others below follow. */
const IMAGE_MAJOR = Number(/^ARG NODE_VERSION=(\d+)$/m.exec(read("Dockerfile"))?.[1]);

describe("package-lock.json", () => {
  it("holds no package that refuses this Node (npm install would warn EBADENGINE)", () => {
    const refusing = Object.entries(lock.packages)
      .map(([path, p]) => ({
        name: `${path.replace(/^.*node_modules\//, "")}@${p.version ?? "?"}`,
        node: Array.isArray(p.engines) ? undefined : p.engines?.node,
      }))
      .filter((p) => p.node !== undefined && !semver.satisfies(process.versions.node, p.node))
      .map((p) => `${p.name} wants node ${p.node}`);
    expect(refusing).toEqual([]);
  });
});

describe("the runtime npm install brings", () => {
  it("runs this suite: the image's Node major, whatever Node the machine carries", () => {
    expect(process.versions.node.split(".")[0]).toBe(String(IMAGE_MAJOR));
  });

  it("is the `node` a spawned process finds on the PATH", () => {
    const r = spawnSync("node", ["-p", "process.version"], { encoding: "utf8" });
    expect(r.stdout.trim(), r.stderr).toBe(process.version);
  });

  it("is the one engines, the node devDependency and @types/node name", () => {
    expect(semver.minVersion(pkg.engines.node)?.major).toBe(IMAGE_MAJOR);
    expect(semver.minVersion(pkg.devDependencies.node ?? "")?.major).toBe(IMAGE_MAJOR);
    expect(semver.minVersion(pkg.devDependencies["@types/node"] ?? "")?.major).toBe(IMAGE_MAJOR);
  });
});
