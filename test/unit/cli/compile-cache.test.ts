import { describe, expect, it } from "vitest";
import { compileCacheDir, safeCompileCacheDir } from "../../../src/cli/compile-cache.js";

describe("compileCacheDir", () => {
  it("is under $XDG_CACHE_HOME when set, else under ~/.cache", () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: "/var/cache/x" }, "/home/u")).toBe("/var/cache/x/mqtt-diagnostics-exporter/compile-cache");
    expect(compileCacheDir({}, "/home/u")).toBe("/home/u/.cache/mqtt-diagnostics-exporter/compile-cache");
    expect(compileCacheDir({ XDG_CACHE_HOME: "" }, "/home/u")).toBe("/home/u/.cache/mqtt-diagnostics-exporter/compile-cache");
  });

  it("is undefined with neither a home nor $XDG_CACHE_HOME", () => {
    expect(compileCacheDir({}, "")).toBeUndefined();
  });
});

describe("safeCompileCacheDir", () => {
  it("refuses a directory on procfs, existing or not (Node 24.21 hangs there)", () => {
    expect(safeCompileCacheDir("/proc/self")).toBe(false);
    expect(safeCompileCacheDir("/proc/self/cache/mqtt-diagnostics-exporter")).toBe(false);
  });

  it("accepts a directory elsewhere, even one still to be created", () => {
    expect(safeCompileCacheDir("/tmp/not-there-yet/compile-cache")).toBe(true);
  });
});
