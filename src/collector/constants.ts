/**
 * HELP texts of the histograms. The other shared facts went back to their owners (transports and
 * broker ports: the config's transport; the listen port: the listen address; the connection
 * limit: the collector registry; error labels: error-info); these go to the metric catalog.
 */
/** HELP texts of the histograms (the OpenTelemetry description and the Prometheus HELP line). */
export const HISTOGRAM_HELP = {
  sessionDuration: "Length of each ended session.",
  timeToReconnect: "From a drop to the next successful connection.",
  probeRtt: "Round trip of the probe message (publish to receipt).",
} as const;
