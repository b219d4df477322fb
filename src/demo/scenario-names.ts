/**
 * The causes the demo plays, each as AWS IoT Core would produce it (see docs/emulator.md). Apart
 * from scenarios.ts, which loads the SDK, so that the CLI's flag table lists them without it.
 */
// The keep-alive timeout comes last: AWS's timer takes 1.5x the keep-alive (45 s at the demo's 30 s).
export const DEMO_SCENARIOS = [
  "network_cut",
  "duplicate_client_id",
  "throttling",
  "policy_deny",
  "connection_ttl",
  "server_maintenance",
  "keep_alive_timeout",
] as const;
export type DemoScenario = (typeof DEMO_SCENARIOS)[number];

/**
 * The demo's journal: one for the full cycle, and one per scenario played alone, so the causes an
 * earlier run recorded never outrank (or hide) the one being played.
 */
export function demoJournalPath(scenario?: DemoScenario): string {
  return scenario === undefined ? "data/demo-journal.jsonl" : `data/demo-${scenario}-journal.jsonl`;
}
