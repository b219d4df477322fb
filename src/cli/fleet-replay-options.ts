import type { CommandSpec } from "./flag-table.js";

// Only constants here: run-cli reads this table for --help.
export const FLEET_REPLAY = {
  name: "fleet-replay",
  operands: "FILE",
  summary:
    "read AWS IoT Core lifecycle events exported as JSON Lines (and the devices' shipped evidence) and print each device's first cause and the count of devices per cause, as JSON",
  flags: {
    evidence: {
      type: "string",
      value: "FILE",
      description: "evidence messages the devices shipped, one per line, joined to AWS's events per device ([fleet](fleet.md))",
    },
  },
} as const satisfies CommandSpec;
