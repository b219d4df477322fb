import type { LoggerLike } from "../collector/logger.js";
import type { CollectorRegistry } from "../collector/registry.js";
import type { CollectorSnapshot } from "../collector/snapshot-schema.js";
import { checkedTsIsCanonical } from "./parse.js";
import { connectionOf, readJournalBatches, type ReadStats } from "./reader.js";

export interface RestoreStats extends ReadStats {
  /** The latest `ts` among the events applied (null when none were). */
  lastEventMs: number | null;
  /** Entries (events and checkpoints) later than `untilMs`, left out. */
  afterUntil: number;
}

/**
 * Replays a journal into the registry's collectors (creating those it names). A checkpoint is
 * used only for a connection with no earlier history in the files read: it stands for the
 * lines that rotation has since deleted, so counters continue instead of resetting.
 */
export async function restoreJournal(
  path: string,
  registry: CollectorRegistry,
  options: { logger?: LoggerLike; connection?: string; only?: ReadonlySet<string>; untilMs?: number } = {},
): Promise<RestoreStats> {
  const stats: RestoreStats = { files: [], lines: 0, skipped: 0, lastEventMs: null, afterUntil: 0 };
  const until = options.untilMs ?? Number.POSITIVE_INFINITY;
  const seen = new Set<string>();
  // One options object for every line (a million at replay), its `at` set per line.
  const applied = { restored: true, at: 0, canonicalTs: false, inShape: false };
  for await (const batch of readJournalBatches(path, { ...options, stats, regularOnly: true })) {
    for (const entry of batch) {
      const item = entry.type === "event" ? entry.event : entry.checkpoint;
      const name = connectionOf(item);
      if (options.connection !== undefined && name !== options.connection) continue;
      if (options.only !== undefined && !options.only.has(name)) continue;
      // "As of" an instant: what happened later is not known yet. A checkpoint is judged by the
      // events it holds (its own `ts` is when rotation wrote it, on the writer's clock).
      const at = entry.type === "event" ? entry.at : latestEventMs(entry.checkpoint.state);
      if (at > until) {
        stats.afterUntil++;
        continue;
      }
      if (entry.type === "checkpoint") {
        if (!seen.has(name)) registry.getOrCreate(name).restoreSnapshot(entry.checkpoint.state);
      } else {
        applied.at = at;
        applied.canonicalTs = checkedTsIsCanonical(entry.event.ts);
        applied.inShape = entry.inShape;
        registry.getOrCreate(name).apply(entry.event, applied);
        if (stats.lastEventMs === null || at > stats.lastEventMs) stats.lastEventMs = at;
      }
      seen.add(name);
    }
  }
  return stats;
}

/** The latest event a checkpoint's state knows the time of (publishes carry none). */
function latestEventMs(state: CollectorSnapshot): number {
  let latest = Math.max(state.last_drop_ms ?? 0, state.session_start_ms ?? 0);
  for (const list of [state.drops, state.connections, state.failures]) {
    const newest = list[list.length - 1];
    if (newest !== undefined) latest = Math.max(latest, Date.parse(newest.timestamp));
  }
  return latest;
}
