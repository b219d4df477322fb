import { durationHeatmap, prom, sessionQuantiles, timeseries } from "../panels.js";
import { BY_CONNECTION, METRIC, sel } from "../selectors.js";
import type { RowContent } from "./row.js";

const quantile = (q: number, bucket: string, refId: string) =>
  prom(`histogram_quantile(${q}, sum by (${BY_CONNECTION}, le) (rate(${sel(bucket)}[$__rate_interval])))`, `{{connection}} p${q * 100}`, refId);

/** Sessions: how long connections last (a spike at 300 s or 86400 s jumps out) and how long recovery takes. */
export const sessionsRow: RowContent = {
  title: "Sessions",
  panels: [
    durationHeatmap(
      "Session duration distribution",
      "Ended sessions per duration bucket. A bright band at one duration is a timer, not bad luck: ~300-350 s is a NAT or load-balancer idle timeout, 86400 s is the AWS IoT 24-hour connection limit, a band at a few seconds is a second client with the same ID.",
      `sum by (le) (increase(${sel(METRIC.sessionDurationBucket)}[$__rate_interval]))`,
    ),
    sessionQuantiles("p50 / p90 / p99 of ended sessions' length.", (q, refId) => quantile(q, METRIC.sessionDurationBucket, refId)),
    timeseries("Time to reconnect", "From a drop to the next successful connection: long waits mean backoff, throttling or an unreachable endpoint.", 6, [
      quantile(0.5, METRIC.timeToReconnectBucket, "A"),
      quantile(0.95, METRIC.timeToReconnectBucket, "B"),
    ]).unit("s"),
  ],
};
