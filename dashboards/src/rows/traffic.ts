import { prom, timeseries } from "../panels.js";
import { BY_CONNECTION, METRIC, sel } from "../selectors.js";
import type { RowContent } from "./row.js";

/** Traffic: is the application still sending, what piles up while offline, and how slow the round trip is. */
export const trafficRow: RowContent = {
  title: "Traffic",
  panels: [
    timeseries("Published vs queued", "Messages per second published while connected and queued while offline.", 8, [
      prom(`sum by (${BY_CONNECTION}) (rate(${sel(METRIC.published)}[$__rate_interval]))`, "{{connection}} published", "A"),
      prom(`sum by (${BY_CONNECTION}) (rate(${sel(METRIC.queued)}[$__rate_interval]))`, "{{connection}} queued", "B"),
    ]).unit("mps"),
    timeseries("Queue depth", "Operations waiting in the client's queue and operations awaiting acknowledgement (getOperationalStatistics).", 8, [
      prom(`max by (${BY_CONNECTION}) (${sel(METRIC.queuedOps)})`, "{{connection}} queued", "A"),
      prom(`max by (${BY_CONNECTION}) (${sel(METRIC.unackedOps)})`, "{{connection}} unacked", "B"),
    ])
      .decimals(0)
      .min(0),
    timeseries("Probe round trip", "Round trip of the probe message (p50, p95) and probe timeouts per interval.", 8, [
      prom(`histogram_quantile(0.5, sum by (${BY_CONNECTION}, le) (rate(${sel(METRIC.probeRttBucket)}[$__rate_interval])))`, "{{connection}} p50", "A"),
      prom(`histogram_quantile(0.95, sum by (${BY_CONNECTION}, le) (rate(${sel(METRIC.probeRttBucket)}[$__rate_interval])))`, "{{connection}} p95", "B"),
      prom(`sum by (${BY_CONNECTION}) (increase(${sel(METRIC.probeTimeouts)}[$__rate_interval]))`, "{{connection}} timeouts", "C"),
    ])
      .unit("s")
      .overrideByRegexp(".* timeouts", [
        { id: "unit", value: "short" },
        { id: "custom.axisPlacement", value: "right" },
        { id: "custom.drawStyle", value: "bars" },
      ]),
  ],
};
