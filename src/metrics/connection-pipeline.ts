import { MeterProvider, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import type { Resource } from "@opentelemetry/resources";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import { connectionInstruments, histogramRecorder, METER_NAME, type InstrumentOptions } from "./instruments.js";
import { PullReader } from "./pull-reader.js";
import { RenderMemo } from "./render-memo.js";

/**
 * One connection's instruments on a MeterProvider and reader of their own, so that collecting
 * one connection costs what that connection has, whatever the number of connections. No views:
 * one connection has at most SERIES_PER_CONNECTION series per instrument, far below
 * OpenTelemetry's default limit, and histogram boundaries come as advice (fewer objects per
 * provider, which matters at 1,000 of them).
 */
export class ConnectionPipeline {
  private readonly provider: MeterProvider;
  private readonly reader = new PullReader();
  private readonly detach: () => void;
  /** This provider's rendering memory (see RenderMemo): it follows the provider's series. */
  readonly memo = new RenderMemo();

  constructor(collector: MqttDiagnosticsCollector, resource: Resource, serviceVersion: string, options: InstrumentOptions) {
    this.provider = new MeterProvider({ resource, readers: [this.reader] });
    const meter = this.provider.getMeter(METER_NAME, serviceVersion);
    const part = connectionInstruments(meter, options);
    const batch = (r: Parameters<typeof part.observe>[0]) => part.observe(r, collector);
    meter.addBatchObservableCallback(batch, part.observables);
    const stopHistograms = histogramRecorder(meter)(collector);
    this.detach = () => {
      stopHistograms();
      meter.removeBatchObservableCallback(batch, part.observables);
    };
  }

  async collect(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length > 0) throw new AggregateError(errors, "metric collection failed");
    return resourceMetrics;
  }

  async shutdown(): Promise<void> {
    this.detach();
    await this.provider.shutdown();
  }
}
