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

/** Visits items in turn; may spread them over several turns of the event loop (a Promise then). */
export type ForEach = <T>(items: Iterable<T>, visit: (item: T) => void) => Promise<void> | void;

const everyAtOnce: ForEach = (items, visit) => {
  for (const item of items) visit(item);
};

/**
 * Logs a connection's diagnosis whenever its list of causes changes. `forEach` decides how the
 * connections are visited: after a reconnect storm every connection changed, and diagnosing
 * 1,000 of them at once held the event loop; the service passes one that yields between slices.
 * A check still running when the next is due is not overlapped.
 */
export function watchDiagnosis(
  registry: CollectorRegistry,
  diagnoser: Diagnoser,
  log: (connection: string, d: Diagnosis) => void,
  intervalMs = 10_000,
  forEach: ForEach = everyAtOnce,
): () => void {
  const last = new Map<string, string>();
  let running = false;
  const visit = (name: string) => {
    const d = diagnoser(name);
    if (d === undefined) return;
    const key = `${d.status}:${d.findings.map((f) => f.cause).join(",")}`;
    if (last.get(name) !== key) {
      if (last.has(name) || d.status === "findings") log(name, d);
      last.set(name, key);
    }
  };
  const check = () => {
    if (running) return;
    const done = forEach(registry.names(), visit);
    if (done === undefined) return;
    running = true;
    void done.finally(() => {
      running = false;
    });
  };
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
