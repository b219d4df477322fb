import type { CommandSpec } from "./flag-table.js";

// Only constants here: run-cli reads this table for --help.
export const CHECK_CONFIG = {
  name: "check-config",
  operands: "[FILE]",
  summary: "check a configuration file (and/or a web config) as serve would: exit 0 when valid, 2 with the first problem",
  flags: {
    "web.config.file": { type: "string", value: "FILE", description: "also check this exporter-toolkit web config ([security](security.md))" },
  },
} as const satisfies CommandSpec;
