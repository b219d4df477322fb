import { describe, expect, it } from "vitest";
import { parseArgsOptions } from "../../../src/cli/flag-table.js";
import { REPLAY } from "../../../src/cli/replay-options.js";

describe("replay's flag table", () => {
  it("holds exactly replay's public flags and defaults, and takes the JOURNAL operand", () => {
    expect(parseArgsOptions(REPLAY.flags)).toEqual({
      at: { type: "string" },
      "max-events": { type: "string" },
      connection: { type: "string" },
      lifecycle: { type: "string" },
      format: { type: "string", default: "json" },
    });
    expect(REPLAY.flags.format.choices).toEqual(["json", "text"]);
    expect(REPLAY.operands).toBe("JOURNAL");
  });
});
