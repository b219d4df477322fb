import { describe, expect, it } from "vitest";
import { parseArgsOptions } from "../../../src/cli/flag-table.js";
import { FLEET_REPLAY } from "../../../src/cli/fleet-replay-options.js";

describe("fleet-replay's flag table", () => {
  it("holds exactly fleet-replay's public flags and takes the FILE operand", () => {
    expect(parseArgsOptions(FLEET_REPLAY.flags)).toEqual({ evidence: { type: "string" } });
    expect(FLEET_REPLAY.operands).toBe("FILE");
  });
});
