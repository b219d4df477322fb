import { describe, expect, it } from "vitest";
import { ConfigError, settingPath } from "../../../src/config/errors.js";
import { EXIT_USAGE, UsageError } from "../../../src/errors.js";

describe("ConfigError", () => {
  it("is what config and flag errors are, so the CLI answers them with one line and exit 2", () => {
    const err = new ConfigError("connections[0].port", "must be at most 65535");
    expect(err).toBeInstanceOf(UsageError);
    expect([err.name, err.message, EXIT_USAGE]).toEqual(["UsageError", "connections[0].port: must be at most 65535", 2]);
  });

  it("keeps the setting apart from the message, for callers that name it", () => {
    expect(new ConfigError("journal.path", "is a directory").setting).toBe("journal.path");
  });
});

describe("settingPath", () => {
  it.each([
    [["connections", 0, "port"], "connections[0].port"],
    [["connections", 2, "tls", "cert_file"], "connections[2].tls.cert_file"],
    [["basic_auth_users", "__proto__"], "basic_auth_users.__proto__"],
    [[0], "[0]"],
    [[], "(config)"],
  ])("%j is written %s", (path, written) => {
    expect(settingPath(path)).toBe(written);
  });
});
