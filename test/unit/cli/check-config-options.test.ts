import { describe, expect, it } from "vitest";
import { CHECK_CONFIG } from "../../../src/cli/check-config-options.js";
import { parseArgsOptions } from "../../../src/cli/flag-table.js";

describe("check-config's flag table", () => {
  it("holds exactly check-config's public flag, and takes an optional FILE", () => {
    expect(parseArgsOptions(CHECK_CONFIG.flags)).toEqual({ "web.config.file": { type: "string" } });
    expect(CHECK_CONFIG.operands).toBe("[FILE]");
  });
});
