import { describe, expect, it } from "vitest";
import { parseArgsOptions } from "../../../src/cli/flag-table.js";
import { FLEET } from "../../../src/cli/fleet-options.js";

describe("fleet's flag table", () => {
  it("holds exactly fleet's public flags and defaults (the web and log flags as serve has them)", () => {
    expect(parseArgsOptions(FLEET.flags)).toEqual({
      config: { type: "string" },
      "web.listen-address": { type: "string", default: ":9883" },
      "web.config.file": { type: "string" },
      "log.level": { type: "string", default: "info" },
    });
    expect("operands" in FLEET).toBe(false);
  });
});
