import type { BatchObservableResult, Meter, MeterProvider } from "@opentelemetry/api";
import type { CollectorRegistry } from "../collector/registry.js";
import { createDiagnoser, type Diagnoser } from "../diagnosis/diagnoser.js";
import { packageVersion } from "../version.js";
import { DiagnosisCache, DIAGNOSIS_INTERVAL_MS } from "./diagnosis-cache.js";
import { metricsFor } from "./catalog.js";
import type { MetricSources } from "./metric-def.js";
import { histogramRecorder, METER_NAME, observableInstruments } from "./instruments.js";

/** The options of `registerInstruments`. */
export interface RegisterInstrumentsOptions {
  /**
   * What `mqtt_client_diagnosis` reads each connection's likely causes from: default
   * `createDiagnoser(registry)`; `false` leaves the gauge out.
   */
  diagnoser?: Diagnoser | false;
  /** Least time between two diagnoses of one connection (a diagnosis reads its whole history); default 5 s. */
  diagnosisIntervalMs?: number;
  /** The `version` label of `mqtt_client_exporter_build_info` and the meter's version; default the package's. */
  serviceVersion?: string;
  /** Adds `mqtt_client_journal_write_errors_total`, read from this (a JournalWriter has it). */
  journalStats?: { writeErrors(): number };
}

const isProvider = (m: Meter | MeterProvider): m is MeterProvider => typeof (m as Partial<MeterProvider>).getMeter === "function";

/** `mqtt_client_diagnosis`'s source: the diagnoser's findings, renewed at most once per interval. */
export function diagnosisSource(registry: CollectorRegistry, diagnoser: Diagnoser, intervalMs = DIAGNOSIS_INTERVAL_MS) {
  const cache = new DiagnosisCache((name) => diagnoser(name)?.findings ?? [], intervalMs);
  return (name: string) => {
    const c = registry.get(name);
    return c ? cache.findings(c) : [];
  };
}

/**
 * Registers every instrument (`mqtt_client_diagnosis` included), for all of a registry's
 * connections, on a Meter or MeterProvider the application owns (global or not): its readers
 * export our series beside its own. Add `metricViews()` to that provider for cardinality limits
 * sized for the connections. Returns a function that detaches the instruments.
 */
export function registerInstruments(target: Meter | MeterProvider, registry: CollectorRegistry, options: RegisterInstrumentsOptions = {}): () => void {
  const serviceVersion = options.serviceVersion ?? packageVersion;
  const meter = isProvider(target) ? target.getMeter(METER_NAME, serviceVersion) : target;
  const diagnoser = options.diagnoser ?? createDiagnoser(registry);
  const findings = diagnoser === false ? undefined : diagnosisSource(registry, diagnoser, options.diagnosisIntervalMs);
  const sources: MetricSources = {
    serviceVersion,
    journalStats: options.journalStats,
    diagnosis: findings === undefined ? undefined : (c) => findings(c.connection),
  };
  const metrics = metricsFor(sources);
  const instruments = observableInstruments(meter, metrics, sources);
  const observables = instruments.observables;
  const batch = (r: BatchObservableResult) => instruments.observe(r, registry.all());
  meter.addBatchObservableCallback(batch, observables);
  const attach = histogramRecorder(meter, metrics);
  const detachers: (() => void)[] = [];
  const stopCreated = registry.onCreated((c) => detachers.push(attach(c)));
  return () => {
    stopCreated();
    for (const d of detachers) d();
    meter.removeBatchObservableCallback(batch, observables);
  };
}
