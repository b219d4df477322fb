import type { MqttDiagnosticsCollector, RecordedEvent } from "../collector/collector.js";
import type { HistogramMetric } from "./metric-def.js";

/** One histogram's state as plain numbers: per-bucket counts (the last is +Inf), sum and count. */
export class HistogramState {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly boundaries: readonly number[]) {
    this.counts = new Float64Array(boundaries.length + 1);
  }

  /** As OpenTelemetry records: `v` in the first bucket whose upper bound is >= v; negative values (and NaN) are ignored. */
  record(v: number): boolean {
    if (!(v >= 0)) return false;
    const b = this.boundaries;
    let i = 0;
    while (i < b.length && v > (b[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += v;
    this.count++;
    return true;
  }
}

/**
 * The histograms of one connection, fed by its collector's events (restored ones too: the
 * default `derive` phase), with no OpenTelemetry on the recording path. `changes` counts the
 * observations, so a rendering knows when its histograms moved.
 */
export class ConnectionHistograms {
  readonly states: HistogramState[];
  changes = 0;
  private readonly detach: () => void;

  constructor(
    collector: MqttDiagnosticsCollector,
    private readonly metrics: readonly HistogramMetric[],
  ) {
    this.states = metrics.map((m) => new HistogramState(m.buckets));
    this.detach = collector.onEvent((e) => this.observe(e));
  }

  private observe(e: RecordedEvent): void {
    for (let i = 0; i < this.metrics.length; i++) {
      const v = (this.metrics[i] as HistogramMetric).observe(e);
      if (v !== undefined && (this.states[i] as HistogramState).record(v)) this.changes++;
    }
  }

  close(): void {
    this.detach();
  }
}
