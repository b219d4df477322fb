import { systemClock, type Clock } from "../collector/clock.js";
import type { Config, FleetConfig } from "../config/schema.js";
import { fleetInstruments, type FleetInstruments } from "../fleet/fleet-instruments.js";
import { FleetState } from "../fleet/fleet-state.js";
import { fleetSubscription, type FleetSubscription } from "../fleet/mqtt-source.js";
import { fleetRoutes } from "../http/fleet-plugin.js";
import { METER_NAME } from "../metrics/instruments.js";
import { startService, type RunningService, type ServiceOptions } from "./start-service.js";

/** How often changed devices are diagnosed again, and for how long at most each time (the event loop stays free). */
const REFRESH_MS = 1000;
const REFRESH_BUDGET_MS = 100;

export interface RunningFleet extends RunningService {
  state: FleetState;
  subscription: FleetSubscription;
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
  const subscription = fleetSubscription(config.fleet.evidence_topic_filter, state, clock, options.logger);
  const plugins = [...(options.app?.plugins ?? []), async (app: import("fastify").FastifyInstance) => void (await app.register(fleetRoutes, { state, clock }))];
  const service = await startService(config, {
    ...options,
    app: { ...options.app, plugins },
    subscriptions: new Map([...(options.subscriptions ?? []), [config.fleet.connection, subscription]]),
  });
  const instruments = fleetInstruments(service.telemetry.meterProvider.getMeter(`${METER_NAME}.fleet`), config.fleet.top_k);
  late.instruments = instruments;
  instruments.attach(state, () => subscription.rejected);
  const timer = setInterval(() => state.refresh({ maxMs: REFRESH_BUDGET_MS }), REFRESH_MS);
  timer.unref();
  return {
    ...service,
    state,
    subscription,
    async close() {
      clearInterval(timer);
      instruments.detach();
      await service.close();
    },
  };
}
