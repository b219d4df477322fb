import { describe, expect, it } from "vitest";
import { DEMO_SCENARIOS, SCENARIO_CAUSE } from "../../../src/demo/scenarios.js";
import { CAUSES } from "../../../src/diagnosis/types.js";
import { runMain } from "../../helpers/cli.js";

describe("the demo's scenarios", () => {
  it("each leads to a cause the diagnosis knows (keep-alive timeout too: AWS's lifecycle event joined to the drop says it)", () => {
    for (const s of DEMO_SCENARIOS) expect(CAUSES, s).toContain(SCENARIO_CAUSE[s]);
    expect(SCENARIO_CAUSE.keep_alive_timeout).toBe("network_unstable");
  });
});

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
