import { describe, expect, it } from "vitest";
import { runMain } from "../../helpers/cli.js";

describe("mqtt-diagnostics: the command dispatch", () => {
  it("--help prints the usage, exit 0", () => {
    const r = runMain(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: mqtt-diagnostics \[serve\]/);
    expect(r.stdout).toContain("mqtt-diagnostics check-config");
  });

  it("--version prints the package version, exit 0", () => {
    const r = runMain(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("an unknown command names it and prints the usage, exit 2", () => {
    const r = runMain(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mqtt-diagnostics: unknown command 'frobnicate'\nusage:/);
  });

  it("a UsageError from a command is one line prefixed with the command, exit 2", () => {
    const r = runMain(["replay"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mqtt-diagnostics replay: expects exactly one JOURNAL path\n");
  });
});
