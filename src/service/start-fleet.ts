import { hostname } from "node:os";
import { systemClock, type Clock } from "../clock.js";
import type { Config, FleetConfig, FleetKinesisConfig } from "../config/schema.js";
import { UsageError } from "../errors.js";
import { fleetInstruments, type FleetInstruments } from "../fleet/fleet-instruments.js";
import { FleetState } from "../fleet/fleet-state.js";
import { fleetSubscription, type FleetSubscription } from "../fleet/mqtt-source.js";
import { fleetRoutes } from "../http/fleet-plugin.js";
import { CauseHistory } from "../http/routes/cause-history.js";
import { fleetStatusSection } from "../http/routes/fleet-status.js";
import { METER_NAME } from "../metrics/instruments.js";
import { startService, type RunningService, type ServiceOptions } from "./start-service.js";

/** How often changed devices are diagnosed again, and for how long at most each time (the event loop stays free). */
const REFRESH_MS = 1000;
const REFRESH_BUDGET_MS = 100;

/** A stopping Kinesis source gets this long to release its leases; after it they are left to lapse. */
const SOURCE_STOP_MS = 2500;

export interface RunningFleet extends RunningService {
  state: FleetState;
  /** Devices by cause, sampled at start and once a minute for the /fleet page. */
  history: CauseHistory;
  /** With `fleet.source: mqtt`. */
  subscription?: FleetSubscription;
  /** With `fleet.source: kinesis`: the replica's shards and counts. */
  kinesis?: { owner: string; readonly stats: { shards: string[]; records_applied: number; records_invalid: number; checkpoints: number; caught_up: string[] } };
}

type KinesisSource = import("../kinesis/kinesis-source.js").KinesisFleetSource;

/** The Kinesis source, loaded only when configured (the AWS SDK stays out of MQTT fleets). */
async function kinesisSource(k: FleetKinesisConfig, logger: ServiceOptions["logger"]): Promise<{ source: KinesisSource; owner: string }> {
  const [{ createKinesisClient }, { DirectoryLeaseStore }, { KinesisFleetSource }] = await Promise.all([
    import("../kinesis/kinesis-client.js"),
    import("../kinesis/directory-lease-store.js"),
    import("../kinesis/kinesis-source.js"),
  ]);
  const owner = k.owner ?? `${hostname()}-${process.pid}`;
  const client = createKinesisClient({ region: k.region, ...(k.endpoint !== undefined ? { endpoint: k.endpoint } : {}) });
  const source = new KinesisFleetSource({
    client,
    stream: k.stream,
    leases: new DirectoryLeaseStore(k.lease_directory),
    owner,
    leaseMs: k.lease_seconds * 1000,
    idleMs: k.idle_ms,
    checkpointMs: k.checkpoint_ms,
    logger,
  });
  return { source, owner };
}

/**
 * Fleet mode on MQTT (issue 23): the service as `serve` runs it (the configured connections,
 * journal, /metrics, status page), with `fleet.connection` subscribed to every device's AWS
 * lifecycle events and shipped evidence, the fleet state they feed, its instruments and
 * /fleet/devices. Changed devices are diagnosed a bounded number at a time, off the request path.
 */
export async function startFleet(config: Config & { fleet: FleetConfig }, options: ServiceOptions & { clock?: Clock }): Promise<RunningFleet> {
  const clock = options.clock ?? systemClock;
  // The instruments need the service's meter provider; records that come before it exists
  // (the first milliseconds of the subscriber's session) miss only the histograms.
  const late: { instruments?: FleetInstruments } = {};
  const state = new FleetState(clock, { lifecycle: (d, r, o) => late.instruments?.observer.lifecycle?.(d, r, o) }, config.fleet.join_window_seconds * 1000);
  const fleet = config.fleet;
  const subscription = fleet.source === "mqtt" ? fleetSubscription(fleet.evidence_topic_filter, state, clock, options.logger) : undefined;
  const kinesis = fleet.source === "kinesis" && fleet.kinesis !== undefined ? await kinesisSource(fleet.kinesis, options.logger) : undefined;
  const history = new CauseHistory();
  const plugins = [
    ...(options.app?.plugins ?? []),
    async (app: import("fastify").FastifyInstance) => void (await app.register(fleetRoutes, { state, clock, history })),
  ];
  const statusSections = [...(options.app?.statusSections ?? []), () => fleetStatusSection(state)];
  const subscriptions = new Map(options.subscriptions ?? []);
  if (subscription !== undefined && fleet.connection !== undefined) subscriptions.set(fleet.connection, subscription);
  const service = await startService(config, { ...options, app: { ...options.app, plugins, statusSections }, subscriptions });
  const instruments = fleetInstruments(service.telemetry.meterProvider.getMeter(`${METER_NAME}.fleet`), fleet.top_k);
  late.instruments = instruments;
  instruments.attach(state, () => subscription?.rejected ?? kinesis?.source.stats.records_invalid ?? 0);
  // Devices by cause over time, for the /fleet page: a sample at start, then one per interval.
  let sampledAt = clock.now();
  history.sample(sampledAt, state.devicesByCause);
  const timer = setInterval(() => {
    state.refresh({ maxMs: REFRESH_BUDGET_MS });
    if (clock.now() - sampledAt >= history.intervalMs) history.sample((sampledAt = clock.now()), state.devicesByCause);
  }, REFRESH_MS);
  timer.unref();
  const close = async () => {
    clearInterval(timer);
    if (kinesis !== undefined) await stopWithin(kinesis.source, options.logger);
    instruments.detach();
    await service.close();
  };
  if (kinesis !== undefined) {
    // The first lease round lists the stream's shards: a missing stream or no access ends the start.
    await kinesis.source.start(state).catch(async (err: unknown) => {
      await close().catch(() => undefined);
      throw new UsageError(
        `fleet.kinesis.stream: cannot read '${fleet.kinesis?.stream ?? ""}' (${fleet.kinesis?.region ?? ""}): ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
        { cause: err },
      );
    });
  }
  return {
    ...service,
    state,
    history,
    ...(subscription !== undefined ? { subscription } : {}),
    ...(kinesis !== undefined
      ? {
          kinesis: {
            owner: kinesis.owner,
            get stats() {
              return kinesis.source.stats;
            },
          },
        }
      : {}),
    close,
  };
}

/** Releases the leases if the source stops in time; otherwise they lapse and the other replicas take the shards then. */
async function stopWithin(source: KinesisSource, logger: ServiceOptions["logger"]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), SOURCE_STOP_MS)));
  const outcome = await Promise.race([
    source.stop().then(
      () => "stopped" as const,
      (err: unknown) => (logger.warn({ err }, "kinesis: stopping failed; the leases will lapse"), "failed" as const),
    ),
    late,
  ]);
  clearTimeout(timer);
  if (outcome === "late") logger.warn({ after_ms: SOURCE_STOP_MS }, "kinesis: still stopping; the leases will lapse");
}
