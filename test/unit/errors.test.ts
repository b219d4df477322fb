import { describe, expect, it } from "vitest";
import { EXIT_USAGE, UsageError } from "../../src/errors.js";
import { runMain } from "../helpers/cli.js";

describe("UsageError", () => {
  it("is an Error named UsageError, its message as given", () => {
    const err = new UsageError("--log.level: 'loud' must be one of fatal, error, warn, info, debug, trace");
    expect(err).toBeInstanceOf(Error);
    expect([err.name, err.message]).toEqual(["UsageError", "--log.level: 'loud' must be one of fatal, error, warn, info, debug, trace"]);
  });

  it(`the CLI answers one with its message on one line and exit ${EXIT_USAGE}, never a stack trace`, () => {
    const r = runMain(["--log.level", "loud"]);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--log\.level: 'loud' must be one of /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
