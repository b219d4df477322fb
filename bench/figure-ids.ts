/**
 * The ids of the figures issues 15's and 24's targets are read from, declared once for the benches that
 * record them and for bench/targets.ts that reads them.
 */
export const FIGURE = {
  /** bench:metrics, per connection count: ours vs prom-client behind the same cache. */
  rps: (connections: number, events: boolean) => `rps-${events ? "events" : "idle"}@${connections}`,
  p99: (connections: number, events: boolean) => `p99-${events ? "events" : "idle"}@${connections}`,
  stallAllChanged: "stall-all-changed",
  stallOneChanged: "stall-one-changed",
  recordEvent: "record-event",
  /** bench:replay */
  replayWhole: "replay-whole",
  replayStartup: "replay-startup",
  /** bench:restarts: summed over restarts, and memory. */
  falseDowns: "false-downs",
  restartsWithFalseDowns: "restarts-with-false-downs",
  rssStart: "rss-start",
  rssMaxAfterRestarts: "rss-max-after-restarts",
  /** RSS through the whole run with no forced GC, read by another process: p50, p90 or max. */
  bareRss: (q: "p50" | "p90" | "max") => `bare-rss-${q}`,
  /** bench:replay: the 1,000,000-line journal, whole process (issue 24), and the Python original per size. */
  replayMillion: "replay-whole-1m",
  replayWholeAt: (lines: number) => `replay-whole@${lines}`,
  /** bench:metrics (issue 24) */
  recordEventAt: (connections: number) => (connections === 1 ? "record-event" : `record-event@${connections}`),
  ceiling: (connections: number) => `ceiling@${connections}`,
  memory: (side: "ours" | "prom", connections: number) => `memory-${side}@${connections}`,
  /** bench:import: RSS after importing one of the package's entries. */
  importRss: (entry: string) => `import-rss:${entry}`,
} as const;

/** The bench each figure family belongs to (the `bench:` script name without its prefix). */
export const BENCH = { metrics: "metrics", replay: "replay", restarts: "restarts", import: "import" } as const;
