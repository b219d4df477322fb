import type { CommandSpec } from "./flag-table.js";

// Only constants here: `replay` starts fast, and run-cli reads this table for --help.
export const REPLAY = {
  name: "replay",
  operands: "JOURNAL",
  summary: "read a journal file (and its rotated files) and print what the service would have exported",
  flags: {
    at: {
      type: "string",
      value: "ISO",
      absent: "the last event's `ts`",
      description: '"as of": the instant the document describes (`timestamp`, uptime), ISO 8601 (`2026-03-01T12:00:00Z`); later events are ignored',
    },
    "max-events": {
      type: "string",
      value: "N",
      absent: "`max_events_retained`'s default",
      description: "retention: drops, connections and failures kept (1 to 10000000)",
    },
    connection: {
      type: "string",
      value: "NAME",
      absent: "the default connection, else the first one in the journal",
      description: "which connection's document",
    },
    lifecycle: {
      type: "string",
      value: "FILE",
      description: "AWS IoT Core lifecycle events exported from AWS, joined to the drops ([lifecycle](lifecycle.md))",
    },
    format: {
      type: "string",
      default: "json",
      choices: ["json", "text"],
      description: "the export document with its diagnosis (indent 2), or the `print_summary`-style text",
    },
  },
} as const satisfies CommandSpec;
