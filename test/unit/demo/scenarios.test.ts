import { describe, expect, it } from "vitest";
import { DEMO_SCENARIOS } from "../../../src/demo/demo.js";
import { runMain } from "../../helpers/cli.js";

describe("--demo.scenario", () => {
  it("an unknown scenario: one line naming the flag and the choices, exit 2, nothing started", () => {
    const r = runMain(["--demo.scenario", "nope", "--web.listen-address", "127.0.0.1:0"]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("--demo.scenario: 'nope' must be one of");
    for (const s of DEMO_SCENARIOS) expect(lines[0]).toContain(s);
  });
});
