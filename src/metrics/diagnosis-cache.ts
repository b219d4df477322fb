import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { Findings } from "./metric-def.js";

type Source = (connection: string) => Findings;

/** How often at most one connection is diagnosed again (a diagnosis reads its whole history). */
export const DIAGNOSIS_INTERVAL_MS = 5000;

/**
 * What the `mqtt_client_diagnosis` gauge reads: each connection's findings, recomputed when it
 * has recorded something, at most once per interval. Diagnosing is the costliest part of
 * collecting a connection, so a burst of events costs one diagnosis, not one per scrape.
 */
export class DiagnosisCache {
  private readonly entries = new Map<string, { version: number; at: number; findings: Findings }>();

  constructor(
    private readonly source: Source,
    private readonly intervalMs: number = DIAGNOSIS_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the cached findings are older than the connection's state and may be renewed. */
  due(c: MqttDiagnosticsCollector): boolean {
    const e = this.entries.get(c.connection);
    return e === undefined || (e.version !== c.version && this.now() - e.at >= this.intervalMs);
  }

  findings(c: MqttDiagnosticsCollector): Findings {
    const e = this.entries.get(c.connection);
    if (e !== undefined && !this.due(c)) return e.findings;
    const findings = this.source(c.connection);
    this.entries.set(c.connection, { version: c.version, at: this.now(), findings });
    return findings;
  }
}
