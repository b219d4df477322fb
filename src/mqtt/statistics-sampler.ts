import type { MqttDiagnosticsCollector, OperationalStatistics } from "../collector/collector.js";

export interface StatisticsSampler {
  /** Samples now (also done at every drop); undefined once the client is closed. */
  sample(): OperationalStatistics | undefined;
  stop(): void;
}

/** Feeds a client's `getOperationalStatistics()` into the collector every `intervalMs` (0: only on demand). */
export function startStatisticsSampler(read: () => OperationalStatistics, collector: MqttDiagnosticsCollector, intervalMs: number): StatisticsSampler {
  const sample = () => {
    try {
      const stats = read();
      collector.recordOperationalStatistics(stats);
      return stats;
    } catch {
      return undefined; // a closed client has no statistics
    }
  };
  const timer = intervalMs > 0 ? setInterval(sample, intervalMs) : undefined;
  timer?.unref();
  return {
    sample,
    stop: () => {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
