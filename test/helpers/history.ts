import type { FastifyInstance } from "fastify";
import { ManualClock } from "../../src/clock.js";
import type { MqttDiagnosticsCollector } from "../../src/collector/collector.js";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { createDiagnoser } from "../../src/diagnosis/diagnoser.js";
import { buildApp } from "../../src/http/app.js";
import { createTelemetry, type Telemetry } from "../../src/metrics/telemetry.js";
import { hangup, T0 } from "./app.js";

export interface Sessions {
  /** How long each session lasts before its drop (ms), by index. */
  sessionMs: number | ((i: number) => number);
  /** Offline time after each drop (ms). */
  gapMs: number;
  keepAliveSeconds?: number;
}

/**
 * `n` sessions on a manual clock, each cut by an unexpected hangup, then connected again (resumed):
 * the history most HTTP tests read.
 */
export function recordSessions(c: MqttDiagnosticsCollector, clock: ManualClock, n: number, s: Sessions): void {
  for (let i = 0; i < n; i++) {
    c.recordConnectionSuccess({
      eventType: i === 0 ? "connected" : "resumed",
      ...(s.keepAliveSeconds !== undefined ? { keepAliveSeconds: s.keepAliveSeconds } : {}),
    });
    clock.advance(typeof s.sessionMs === "number" ? s.sessionMs : s.sessionMs(i));
    c.recordConnectionDrop({ error: hangup });
    clock.advance(s.gapMs);
  }
  c.recordConnectionSuccess({ eventType: "resumed" });
}

export interface BigApp {
  app: FastifyInstance;
  collector: MqttDiagnosticsCollector;
  clock: ManualClock;
  close(): Promise<void>;
}

/** The app over one connection ("big") whose collector retains `retained` events of each kind, with the diagnoser. */
export async function startRetainingApp(retained: number): Promise<BigApp> {
  const clock = new ManualClock(T0);
  const registry = new CollectorRegistry({ clock, maxEventsRetained: retained, logger: { warn: () => undefined, error: () => undefined } });
  const collector = registry.getOrCreate("big");
  const diagnoser = createDiagnoser(registry);
  const telemetry: Telemetry = createTelemetry({
    registry,
    serviceVersion: "0.0.0-test",
    cacheMaxAgeMs: 0,
    diagnosisSource: (n) => diagnoser(n)?.findings ?? [],
  });
  const app = await buildApp({ registry, telemetry, logger: false, maxEventsRetained: retained, diagnoser });
  return {
    app,
    collector,
    clock,
    async close() {
      await app.close();
      await telemetry.shutdown();
    },
  };
}
