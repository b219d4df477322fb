import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureDir, isMissingDir } from "../../../src/journal/ensure-dir.js";

describe("ensureDir", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mde-ensure-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates every missing level, and accepts a folder that exists", async () => {
    const deep = join(dir, "a", "b", "c");
    await ensureDir(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await expect(ensureDir(deep)).resolves.toBeUndefined();
  });

  it("fails, rather than spinning, where a parent cannot hold folders", async () => {
    writeFileSync(join(dir, "file"), "");
    await expect(ensureDir(join(dir, "file", "sub"))).rejects.toMatchObject({ code: "ENOTDIR" });
    // A dangling symlink: Node's recursive mkdir never settles here.
    symlinkSync(join(dir, "nowhere"), join(dir, "dangling"));
    const err: unknown = await ensureDir(join(dir, "dangling", "sub")).catch((e: unknown) => e);
    expect(isMissingDir(err)).toBe(true);
    expect(existsSync(join(dir, "nowhere"))).toBe(false);
    // Under /proc, a parent that exists answers ENOENT to mkdir.
    await expect(ensureDir("/proc/self/mde-journal/sub")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("tells a missing folder from other errors", () => {
    expect(isMissingDir(Object.assign(new Error("x"), { code: "ENOENT" }))).toBe(true);
    expect(isMissingDir(Object.assign(new Error("x"), { code: "EACCES" }))).toBe(false);
    expect(isMissingDir(null)).toBe(false);
  });
});
