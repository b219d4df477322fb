import type { CollectorRegistry } from "../collector/registry.js";
import { diagnose } from "./engine.js";
import { historyOf, type ConfiguredConnection } from "./history.js";
import type { Diagnosis } from "./types.js";

export type Diagnoser = (connection: string) => Diagnosis | undefined;

/**
 * Diagnoses a registry's connections on demand, recomputing only when a connection has recorded
 * something since the last call (scrapes, the page and the JSON share the result).
 */
export function createDiagnoser(registry: CollectorRegistry, configured: ReadonlyMap<string, ConfiguredConnection> = new Map()): Diagnoser {
  const memo = new Map<string, { version: number; diagnosis: Diagnosis }>();
  return (connection) => {
    const collector = registry.get(connection);
    if (collector === undefined) return undefined;
    const hit = memo.get(connection);
    if (hit !== undefined && hit.version === collector.version) return hit.diagnosis;
    const diagnosis = diagnose(historyOf(collector, configured.get(connection)));
    memo.set(connection, { version: collector.version, diagnosis });
    return diagnosis;
  };
}

/** Logs a connection's diagnosis whenever its list of causes changes. */
export function watchDiagnosis(registry: CollectorRegistry, diagnoser: Diagnoser, log: (connection: string, d: Diagnosis) => void, intervalMs = 10_000): () => void {
  const last = new Map<string, string>();
  const check = () => {
    for (const name of registry.names()) {
      const d = diagnoser(name);
      if (d === undefined) continue;
      const key = `${d.status}:${d.findings.map((f) => f.cause).join(",")}`;
      if (last.get(name) !== key) {
        if (last.has(name) || d.status === "findings") log(name, d);
        last.set(name, key);
      }
    }
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
