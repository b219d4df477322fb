import type { FastifyInstance } from "fastify";
import { ManualClock } from "../../src/clock.js";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { createDiagnoser } from "../../src/diagnosis/diagnoser.js";
import { buildApp, type AppDeps } from "../../src/http/app.js";
import { createTelemetry, type Telemetry } from "../../src/metrics/telemetry.js";

export const T0 = Date.parse("2026-03-01T12:00:00Z");
export const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "The connection was closed unexpectedly." };

export interface TestApp {
  app: FastifyInstance;
  registry: CollectorRegistry;
  telemetry: Telemetry;
  clock: ManualClock;
  close(): Promise<void>;
}

/** The real app over a registry driven by a manual clock; connections are created up front. */
export async function startTestApp(
  connections: string[] = ["heater-1"],
  extra: Partial<AppDeps> | ((registry: CollectorRegistry) => Partial<AppDeps>) = {},
): Promise<TestApp> {
  const clock = new ManualClock(T0);
  const registry = new CollectorRegistry({ clock, maxEventsRetained: 100, logger: { warn: () => undefined, error: () => undefined } });
  // The diagnosis gauge, the journal's error counter and the lifecycle observer's drops are wired as the service wires them.
  const diagnoser = createDiagnoser(registry);
  const telemetry = createTelemetry({
    registry,
    serviceVersion: "0.0.0-test",
    cacheMaxAgeMs: 0,
    diagnosisSource: (name) => diagnoser(name)?.findings ?? [],
    journalStats: { writeErrors: () => 0 },
    lifecycleDrops: () => new Map(connections.map((c) => [c, 0])),
  });
  for (const c of connections) registry.getOrCreate(c);
  const app = await buildApp({ registry, telemetry, logger: false, maxEventsRetained: 100, ...(typeof extra === "function" ? extra(registry) : extra) });
  return {
    app,
    registry,
    telemetry,
    clock,
    async close() {
      await app.close();
      await telemetry.shutdown();
    },
  };
}
