/**
 * The ids of the figures issue 15's targets are read from, declared once for the benches that
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
} as const;

/** The bench each figure family belongs to (the `bench:` script name without its prefix). */
export const BENCH = { metrics: "metrics", replay: "replay", restarts: "restarts" } as const;
