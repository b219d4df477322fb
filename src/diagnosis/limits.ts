import type { ConnectionHistory } from "./history.js";

/**
 * aws-crt's MQTT 3.1.1 client emits no event when an automatic reconnect fails, so the history
 * of a 3.1.1 connection has no failed attempts between a drop and the next success.
 */
export const MQTT311_BLIND_SPOT =
  "MQTT 3.1.1: aws-crt reports no event for a failed automatic reconnect, so the failed attempts of this connection are at most inferred from its reconnect backoff (an upper bound, without the SDK's error), and reconnect storms and aggressive_reconnect cannot be seen; the time to reconnect still shows how long it was down.";

/** What the rules cannot see in this history, in plain words. */
export function limitsOf(h: ConnectionHistory): string[] {
  return h.protocol === "mqtt311" ? [MQTT311_BLIND_SPOT] : [];
}
