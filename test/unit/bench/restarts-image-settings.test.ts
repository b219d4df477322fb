import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { imageSettings } from "../../../bench/restarts/image-settings.js";

describe("the image's process settings, read from the Dockerfile", () => {
  it("takes the node flags before the script and the allocator's environment", () => {
    const text = [
      "ENV NODE_ENV=production",
      "ENV GLIBC_TUNABLES=glibc.malloc.arena_max=2",
      'ENTRYPOINT ["node", "--max-semi-space-size=1", "dist/src/main.js", "--not-a-node-flag"]',
    ].join("\n");
    expect(imageSettings(text)).toEqual({ nodeFlags: ["--max-semi-space-size=1"], env: { GLIBC_TUNABLES: "glibc.malloc.arena_max=2" } });
  });

  it("refuses an entrypoint that does not run node in exec form", () => {
    expect(() => imageSettings("ENTRYPOINT node main.js")).toThrow(/exec-form/);
    expect(() => imageSettings('ENTRYPOINT ["tini", "node"]')).toThrow(/does not start node/);
  });

  it("reads the repository's Dockerfile", () => {
    const s = imageSettings(readFileSync(new URL("../../../Dockerfile", import.meta.url), "utf8"));
    expect(s.nodeFlags.every((f) => f.startsWith("--"))).toBe(true);
  });
});
