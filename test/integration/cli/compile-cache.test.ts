import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "mde-compile-cache-"));
const empty = join(dir, "empty.jsonl");
writeFileSync(empty, "");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the CLI's compile cache", () => {
  it("is written under $XDG_CACHE_HOME", () => {
    const cache = join(dir, "xdg");
    const r = runMain(["replay", empty], { env: { XDG_CACHE_HOME: cache } });
    expect(r.stderr).toContain("no events");
    expect(readdirSync(join(cache, "mqtt-diagnostics-exporter", "compile-cache")).length).toBeGreaterThan(0);
  });

  it("is skipped, not hung on, when $XDG_CACHE_HOME is on procfs", () => {
    const r = runMain(["replay", empty], { env: { XDG_CACHE_HOME: "/proc/self/cache" }, timeoutMs: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no events");
  });

  it("is not used with NODE_DISABLE_COMPILE_CACHE set", () => {
    const cache = join(dir, "off");
    const r = runMain(["replay", empty], { env: { XDG_CACHE_HOME: cache, NODE_DISABLE_COMPILE_CACHE: "1" } });
    expect(r.code).toBe(2);
    expect(() => readdirSync(cache)).toThrow();
  });
});
