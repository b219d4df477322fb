import type { CommandSpec } from "./flag-table.js";
import { SERVE } from "./serve-options.js";

// Only constants here: run-cli reads this table for --help.
export const FLEET = {
  name: "fleet",
  summary:
    "fleet mode: every device's AWS lifecycle events and shipped evidence (on MQTT or Kinesis), joined and diagnosed per device, served as /metrics and /fleet/devices",
  flags: {
    config: { type: "string", value: "FILE", description: "the YAML configuration, with a `fleet` section ([fleet](fleet.md))" },
    "web.listen-address": SERVE.flags["web.listen-address"],
    "web.config.file": SERVE.flags["web.config.file"],
    "log.level": SERVE.flags["log.level"],
  },
} as const satisfies CommandSpec;
