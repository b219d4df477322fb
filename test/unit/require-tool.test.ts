import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { requireTool, toolEnvName } from "../helpers/require-tool.js";

const TEST_DIR = fileURLToPath(new URL("../", import.meta.url));
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("requireTool", () => {
  it("returns the path of an installed program", () => {
    expect(requireTool("openssl")).toMatch(/\/openssl$/);
  });

  it("fails naming the Debian package when the program is missing", () => {
    process.env["PATH"] = "/nonexistent";
    expect(() => requireTool("promtool")).toThrow(/promtool is missing .*install the Debian package 'prometheus'/);
    process.env[toolEnvName("mosquitto")] = "/nonexistent/mosquitto";
    expect(() => requireTool("mosquitto")).toThrow(/MOSQUITTO_BIN=\/nonexistent\/mosquitto is not executable.*'mosquitto'/);
  });

  it("knows only the programs scripts/test.sh installs", () => {
    expect(() => requireTool("definitely-not-a-tool")).toThrow(/not listed in scripts\/test-tools.txt/);
  });
});

describe("the test suite", () => {
  it("skips nothing: a missing tool fails its test instead", () => {
    const skipping = testFiles(TEST_DIR)
      .filter((f) => !f.endsWith("require-tool.test.ts"))
      .filter((f) => /\.(skip|skipIf|runIf|todo)\(|\bctx\.skip\(|\bcontext\.skip\(/.test(readFileSync(f, "utf8")));
    expect(skipping).toEqual([]);
  });
});
