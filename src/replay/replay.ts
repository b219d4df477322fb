import { access } from "node:fs/promises";
import { ManualClock } from "../clock.js";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { LoggerLike } from "../collector/logger.js";
import { CollectorRegistry } from "../collector/registry.js";
import type { ExportDocument } from "../collector/types.js";
import { DEFAULT_CONNECTION } from "../journal/events.js";
import { restoreJournal, type RestoreStats } from "../journal/restore.js";
import { diagnose } from "../diagnosis/engine.js";
import { historyOf } from "../diagnosis/history.js";
import { assignLifecycleEvents, readLifecycleFile } from "./lifecycle-file.js";
import type { Diagnosis } from "../diagnosis/types.js";

export interface ReplayOptions {
  journal: string;
  /** Export "as of" this instant (ms): later events are ignored. Default: the last event's time. */
  atMs?: number;
  maxEvents?: number;
  connection?: string;
  logger?: LoggerLike;
  /** AWS lifecycle events exported as JSON Lines, joined to the journal's drops (issue 13). */
  lifecycle?: string;
}

export interface ReplayResult {
  registry: CollectorRegistry;
  /** The selected connection's collector, undefined when the journal has none for it. */
  collector: MqttDiagnosticsCollector | undefined;
  clock: ManualClock;
  stats: RestoreStats;
}

export class JournalNotFoundError extends Error {}

/**
 * Runs a journal through fresh collectors, each event at its own `ts`, then sets the clock to
 * `atMs` (or the last event) so the export's timestamp and uptime are as of that instant;
 * events after `atMs` are not applied (the document is what was known at that instant).
 */
export async function replayJournal(options: ReplayOptions): Promise<ReplayResult> {
  try {
    await access(options.journal);
  } catch {
    throw new JournalNotFoundError(`journal not found: ${options.journal}`);
  }
  const clock = new ManualClock(0);
  const registry = new CollectorRegistry({
    clock,
    ...(options.maxEvents !== undefined ? { maxEventsRetained: options.maxEvents } : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  const stats = await restoreJournal(options.journal, registry, {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.atMs !== undefined ? { untilMs: options.atMs } : {}),
  });
  clock.set(options.atMs ?? stats.lastEventMs ?? 0);
  const wanted = options.connection ?? (registry.get(DEFAULT_CONNECTION) ? DEFAULT_CONNECTION : registry.names()[0]);
  const collector = wanted === undefined ? undefined : registry.get(wanted);
  if (options.lifecycle !== undefined) {
    // The join pairs by identity (and by time once corrected for the clocks' offset), so AWS's
    // events can come after the journal's; in AWS's time order, the way AWS sent them.
    const file = await readLifecycleFile(options.lifecycle);
    for (const s of file.skipped) options.logger?.warn({ line: s.line }, `lifecycle: skipping line ${s.line}: ${s.why}`);
    if (file.skippedCount > file.skipped.length) options.logger?.warn({}, `lifecycle: skipped ${file.skippedCount - file.skipped.length} more lines`);
    for (const [c, events] of assignLifecycleEvents(file, registry.all(), collector, options.atMs)) {
      for (const e of [...events].sort((a, b) => a.timestamp - b.timestamp)) c.addLifecycleEvidence(e);
    }
  }
  // Joined by the same joiner as live, classified as of the replay's instant.
  for (const c of registry.all()) c.settleLifecycle();
  return { registry, collector, clock, stats };
}

/** The document `replay` prints: the original module's export plus the diagnosis of the same history. */
export function replayDocument(result: ReplayResult, connection?: string): ExportDocument & { diagnosis: Diagnosis } {
  // An empty journal (or one without the connection) still gives the original's empty document.
  const collector = result.collector ?? new CollectorRegistry({ clock: result.clock }).getOrCreate(connection ?? DEFAULT_CONNECTION);
  return { ...collector.export(), diagnosis: diagnose(historyOf(collector)) };
}
