import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { requireTool } from "../helpers/require-tool.js";

const TEST_DIR = fileURLToPath(new URL("../", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.(jsonl(\.\d+)?|json)$/.test(f));
}

describe("golden files", () => {
  it("regenerate from inside the repository, byte for byte (the original module is vendored under test/golden/reference)", () => {
    const python = requireTool("python3");
    const work = mkdtempSync(join(tmpdir(), "mde-golden-"));
    try {
      // Only test/golden and test/fixtures: nothing else (no ../shared) may be needed.
      for (const sub of ["golden", "fixtures"]) cpSync(join(TEST_DIR, sub), join(work, "test", sub), { recursive: true });
      execFileSync("bash", [join(work, "test/golden/regenerate.sh")], {
        env: { ...process.env, PATH: `${join(python, "..")}:${process.env["PATH"] ?? ""}` },
        stdio: "pipe",
      });
      for (const sub of ["golden", "fixtures"]) {
        const names = files(join(TEST_DIR, sub));
        expect(names.length).toBeGreaterThan(5);
        for (const name of names) {
          expect(readFileSync(join(work, "test", sub, name), "utf8"), relative(TEST_DIR, join(TEST_DIR, sub, name))).toBe(
            readFileSync(join(TEST_DIR, sub, name), "utf8"),
          );
        }
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
