import { describe, expect, it } from "vitest";
import { parseArgsOptions } from "../../../src/cli/flag-table.js";
import { SERVE } from "../../../src/cli/serve-options.js";
import { DEFAULT_LISTEN_PORT } from "../../../src/service/listen-address.js";
import { DEMO_SCENARIOS } from "../../../src/demo/scenario-names.js";

describe("serve's flag table", () => {
  it("holds exactly serve's public flags and defaults", () => {
    expect(parseArgsOptions(SERVE.flags)).toEqual({
      config: { type: "string" },
      "web.listen-address": { type: "string", default: `:${DEFAULT_LISTEN_PORT}` },
      "web.config.file": { type: "string" },
      "journal.path": { type: "string" },
      "log.level": { type: "string", default: "info" },
      "otlp.endpoint": { type: "string" },
      "demo.scenario": { type: "string" },
    });
  });

  it("accepts pino's levels and the demo's scenarios", () => {
    expect(SERVE.flags["log.level"].choices).toEqual(["fatal", "error", "warn", "info", "debug", "trace"]);
    expect(SERVE.flags["demo.scenario"].choices).toBe(DEMO_SCENARIOS);
    expect(SERVE.isDefault).toBe(true);
  });
});
