import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import { CollectorRegistry } from "../collector/registry.js";
import { lifecycleTrust } from "../config/lifecycle-trust.js";
import type { Config } from "../config/schema.js";
import { createDiagnoser, watchDiagnosis } from "../diagnosis/diagnoser.js";
import { formatDiagnosis } from "../diagnosis/format.js";
import { buildApp, type AppDeps } from "../http/app.js";
import { restoreJournal } from "../journal/restore.js";
import { JournalWriter } from "../journal/writer.js";
import { inSlices } from "../metrics/slices.js";
import { createTelemetry, type Telemetry } from "../metrics/telemetry.js";
import { lifecycleSubscription, type LifecycleSubscription } from "../mqtt/lifecycle-observer.js";
import { watchConnection, type WatchedConnection } from "../mqtt/watch-connection.js";
import { startShippers } from "./shippers.js";
import { plural } from "../text/plural.js";

export interface ServiceOptions {
  logger: Logger;
  listen: { host: string; port: number };
  otlpEndpoint?: string;
  /** Extra dependencies for the app (web config plugins, TLS server options, diagnosis). */
  app?: Partial<Omit<AppDeps, "registry" | "telemetry" | "logger">>;
  /** Start the clients (default true); tests of the HTTP side alone can skip them. */
  startClients?: boolean;
  /** Topics a configured connection (by name) subscribes to besides the lifecycle observer's (the fleet's). */
  subscriptions?: ReadonlyMap<string, LifecycleSubscription>;
}

export interface RunningService {
  app: FastifyInstance;
  registry: CollectorRegistry;
  telemetry: Telemetry;
  journal: JournalWriter;
  /** `http://host:port` the server listens on. */
  address: string;
  /** Stops clients (recorded as stops, not drops), flushes the journal, closes the server. */
  close(): Promise<void>;
}

/**
 * Listener order is the collectors' (collector/listener-bus.ts): the instruments and the status
 * page derive figures from every event, restored ones included, and are created before the
 * restore (a later one is warned about); the journal persists only new events, wherever it is
 * attached. Clients start last.
 */
/** The observer's subscription: every other watched client ID's lifecycle topics (issue 13). */
function observerOf(config: Config, registry: CollectorRegistry, logger: Logger): LifecycleSubscription | undefined {
  const name = config.lifecycle?.observer;
  if (name === undefined) return undefined;
  // Refused (a ConfigError naming lifecycle.trust) for a broker nobody vouched for, here too for library callers.
  logger.info({ observer: name, trust: lifecycleTrust(config) }, "lifecycle events are read as evidence");
  const observerClientId = config.connections.find((c) => (c.name ?? c.client_id) === name)?.client_id;
  const targets = new Map<string, MqttDiagnosticsCollector[]>();
  for (const c of config.connections) {
    // A client cannot receive the event about its own disconnection: the observer watches the others.
    if (c.client_id === observerClientId) continue;
    const list = targets.get(c.client_id) ?? [];
    list.push(registry.getOrCreate(c.name ?? c.client_id));
    targets.set(c.client_id, list);
  }
  return lifecycleSubscription(targets, logger);
}

/** How old an exposition a scrape may get while a newer one renders (see TelemetryOptions). */
export const SERVE_STALE_MS = 1000;

export async function startService(config: Config, options: ServiceOptions): Promise<RunningService> {
  const { logger } = options;
  const registry = new CollectorRegistry({
    maxEventsRetained: config.max_events_retained,
    logger,
    ...(config.lifecycle ? { lifecycleJoinWindowMs: config.lifecycle.join_window_seconds * 1000 } : {}),
  });
  for (const c of config.connections) registry.getOrCreate(c.name ?? c.client_id);
  const observer = observerOf(config, registry, logger);
  const journal = new JournalWriter({
    path: config.journal.path,
    maxBytes: config.journal.max_bytes,
    retainFiles: config.journal.retain_files,
    logger,
  });
  journal.attach(registry);
  const diagnoser = createDiagnoser(
    registry,
    new Map(
      config.connections.map((c) => [
        c.name ?? c.client_id,
        { keepAliveSeconds: c.keep_alive_seconds, protocol: c.protocol, reconnect: { minDelayMs: c.reconnect.min_delay_ms, jitter: c.reconnect.jitter } },
      ]),
    ),
  );
  const telemetry = createTelemetry({
    registry,
    diagnosisSource: (name) => diagnoser(name)?.findings ?? [],
    journalStats: { writeErrors: () => journal.writeErrors },
    ...(observer !== undefined ? { lifecycleDrops: () => observer.dropped() } : {}),
    maxConnections: config.connections.length,
    // Scrapes during a reconnect storm get the last exposition (at most 1 s old) at once.
    serveStaleMs: SERVE_STALE_MS,
    ...(options.otlpEndpoint ? { otlp: { endpoint: options.otlpEndpoint } } : {}),
  });
  const checks: Record<string, string> = { journal: "restoring", listeners: "not attached" };
  let ready = false;
  const app = await buildApp({
    registry,
    telemetry,
    logger,
    maxEventsRetained: config.max_events_retained,
    diagnoser,
    readiness: () => ({
      ready,
      checks: { ...checks, ...(journal.writeErrors > 0 ? { journal_writes: plural(journal.writeErrors, "write error") } : {}) },
    }),
    ...options.app,
  });
  // Restore before listening: a scrape must never see counters below their pre-restart values.
  const stats = await restoreJournal(config.journal.path, registry, { logger, only: new Set(registry.names()) });
  checks["journal"] =
    `restored ${plural(stats.lines - stats.skipped, "line")} from ${plural(stats.files.length, "file")}${stats.skipped ? `, skipped ${stats.skipped}` : ""}`;
  // The previous process's sessions ended with it; say so in the journal, so that replaying
  // it later gives the same state as now.
  for (const c of registry.all()) if (c.isConnected) c.recordConnectionStopped("process_restart");
  // What the restored lifecycle events settle as of now (foreign sessions) is counted before the first scrape.
  for (const c of registry.all()) c.settleLifecycle();

  const watched: WatchedConnection[] = [];
  if (options.startClients !== false) {
    for (const c of config.connections) {
      const name = c.name ?? c.client_id;
      watched.push(watchConnection(c, registry.getOrCreate(name), logger, name === config.lifecycle?.observer ? observer : options.subscriptions?.get(name)));
    }
  }
  const shippers = await startShippers(config, registry, watched, logger);
  checks["listeners"] = `attached to ${plural(watched.length, "connection")}`;
  const address = await app.listen({ host: options.listen.host, port: options.listen.port });
  ready = true;
  // The first rendering (every connection new, restored from the journal) is made in the
  // background now, in slices, not when the first scrape asks: at 1,000 connections it takes seconds.
  void telemetry.exposition().catch((err: unknown) => logger.warn({ err }, "could not render /metrics ahead of the first scrape"));
  // In slices: after a reconnect storm every connection has changed and is diagnosed again.
  const stopDiagnosisLog = watchDiagnosis(
    registry,
    diagnoser,
    (connection, d) => logger.info({ connection, status: d.status, causes: d.findings.map((f) => f.cause) }, formatDiagnosis(d).trimEnd()),
    undefined,
    (items, visit) => inSlices(items, visit),
  );
  logger.info({ address, connections: registry.names(), journal: config.journal.path }, "mqtt-diagnostics-exporter listening");

  let closing: Promise<void> | undefined;
  return {
    app,
    registry,
    telemetry,
    journal,
    address,
    close() {
      closing ??= (async () => {
        ready = false;
        stopDiagnosisLog();
        await Promise.allSettled(shippers.map((s) => s.stop()));
        await Promise.allSettled(watched.map((w) => w.stop()));
        await journal.close();
        await app.close();
        await telemetry.shutdown();
      })();
      return closing;
    },
  };
}
