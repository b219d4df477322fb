import type { CollectorRegistry } from "../collector/registry.js";
import type { LoggerLike } from "../collector/logger.js";
import type { Config } from "../config/schema.js";
import type { WatchedConnection } from "../mqtt/watch-connection.js";
import { EvidenceShipper } from "../ship/shipper.js";

/** The state file of one connection's shipping: beside the journal, one per client ID. */
export function shipperStatePath(journalPath: string, clientId: string): string {
  return `${journalPath}.evidence-${encodeURIComponent(clientId)}.json`;
}

/**
 * Ships the evidence of every connection with an `evidence` section over its own client. Each
 * reads what is unshipped from the journal first; events recorded meanwhile are not lost.
 */
export async function startShippers(
  config: Config,
  registry: CollectorRegistry,
  watched: readonly WatchedConnection[],
  logger: LoggerLike,
): Promise<EvidenceShipper[]> {
  const shippers: EvidenceShipper[] = [];
  for (const c of config.connections) {
    const name = c.name ?? c.client_id;
    const connection = watched.find((w) => w.name === name);
    if (c.evidence === undefined || connection === undefined) continue;
    const e = c.evidence;
    shippers.push(
      await EvidenceShipper.start({
        collector: registry.getOrCreate(name),
        publish: connection.publish,
        clientId: c.client_id,
        ...(e.topic === undefined ? {} : { topic: e.topic }),
        journalPath: config.journal.path,
        statePath: shipperStatePath(config.journal.path, c.client_id),
        publishesPerSecond: e.publishes_per_second,
        burst: e.burst,
        backlog: { maxEvents: e.max_backlog_events, maxBytes: e.max_backlog_bytes },
        logger,
      }),
    );
  }
  return shippers;
}
