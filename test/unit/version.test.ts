import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packageVersion } from "../../src/version.js";

describe("packageVersion", () => {
  it("is package.json's version (what build_info and --version report)", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(packageVersion).toBe(pkg.version);
    expect(packageVersion).not.toBe("0.0.0");
  });
});
