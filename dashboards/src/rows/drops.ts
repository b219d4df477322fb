import { eventBars, prom } from "../panels.js";
import { BY_CONNECTION, METRIC, sel } from "../selectors.js";
import type { RowContent } from "./row.js";

/** Drops: which error ended the connections, what the server said, and why reconnects failed. */
export const dropsRow: RowContent = {
  title: "Drops",
  panels: [
    eventBars(
      "Drops by error name",
      "Drops per interval by aws-crt error name. Ping timeouts (AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT, AWS_ERROR_MQTT_TIMEOUT) and hang-ups point at the network path; a DISCONNECT from the server shows in the next panel.",
      12,
      [prom(`sum by (${BY_CONNECTION}, error_name) (increase(${sel(METRIC.drops)}[$__rate_interval]))`, "{{connection}} {{error_name}}")],
    ),
    eventBars(
      "Server DISCONNECT reasons",
      "MQTT 5 DISCONNECT packets from AWS IoT by reason: session_taken_over means a second client uses the same client ID; throttling and quota reasons mean AWS limits.",
      6,
      [prom(`sum by (${BY_CONNECTION}, reason) (increase(${sel(METRIC.serverDisconnects)}[$__rate_interval]))`, "{{connection}} {{reason}}")],
    ),
    eventBars(
      "Failed attempts by error",
      "Connection attempts that failed, by error name: TLS and auth errors are configuration (certificate, policy, endpoint); socket errors are the network.",
      6,
      [prom(`sum by (${BY_CONNECTION}, error_name) (increase(${sel(METRIC.failures)}[$__rate_interval]))`, "{{connection}} {{error_name}}")],
    ),
  ],
};
