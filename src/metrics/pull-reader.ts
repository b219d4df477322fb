import { MetricReader } from "@opentelemetry/sdk-metrics";

/** A reader collected on demand (a scrape), with nothing to flush or close. */
export class PullReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}
