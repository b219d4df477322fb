import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { EXIT_USAGE, UsageError } from "../../../src/errors.js";

describe("UsageError", () => {
  it("is what config and flag errors are, so the CLI answers them with one line and exit 2", () => {
    const err = new ConfigError("connections[0].port", "must be at most 65535");
    expect(err).toBeInstanceOf(UsageError);
    expect([err.name, err.message, EXIT_USAGE]).toEqual(["UsageError", "connections[0].port: must be at most 65535", 2]);
  });
});
