import { describe, expect, it } from "vitest";
import { HISTOGRAM_HELP } from "../../../src/collector/constants.js";

describe("histogram help", () => {
  it("is one sentence per histogram", () => {
    for (const help of Object.values(HISTOGRAM_HELP)) expect(help).toMatch(/^[A-Z].*\.$/);
  });
});
