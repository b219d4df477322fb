import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// semver is already in the tree (fastify needs it); its types are not, hence the narrow cast.
const semver = createRequire(import.meta.url)("semver") as { satisfies(version: string, range: string): boolean };
const lock = JSON.parse(readFileSync(new URL("../../package-lock.json", import.meta.url), "utf8")) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe("package-lock.json", () => {
  it("holds no package that refuses this Node (npm install would warn EBADENGINE)", () => {
    const refusing = Object.entries(lock.packages)
      .map(([path, p]) => ({ name: `${path.replace(/^.*node_modules\//, "")}@${p.version ?? "?"}`, node: Array.isArray(p.engines) ? undefined : p.engines?.node }))
      .filter((p) => p.node !== undefined && !semver.satisfies(process.versions.node, p.node))
      .map((p) => `${p.name} wants node ${p.node}`);
    expect(refusing).toEqual([]);
  });
});
