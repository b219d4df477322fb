import { DisconnectReason } from "../collector/reason-codes.js";

// aws-crt error names, grouped by what they say about the link.
/** A keep-alive ping that got no answer (MQTT 5, MQTT 3.1.1); the dashboards and alerts use these too. */
export const PING_TIMEOUT_ERROR_NAMES = ["AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT", "AWS_ERROR_MQTT_TIMEOUT"] as const;
export const PING_TIMEOUTS: ReadonlySet<string> = new Set(PING_TIMEOUT_ERROR_NAMES);
export const HANGUPS: ReadonlySet<string> = new Set(["AWS_ERROR_MQTT_UNEXPECTED_HANGUP", "AWS_IO_SOCKET_CLOSED", "AWS_ERROR_MQTT_CONNECTION_DESTROYED"]);
export const NETWORK_ERRORS: ReadonlySet<string> = new Set([
  "AWS_IO_SOCKET_TIMEOUT",
  "AWS_IO_SOCKET_CONNECTION_REFUSED",
  "AWS_IO_SOCKET_CONNECT_ABORTED",
  "AWS_IO_SOCKET_NETWORK_DOWN",
  "AWS_IO_SOCKET_NO_ROUTE_TO_HOST",
  "AWS_IO_DNS_QUERY_FAILED",
  "AWS_IO_DNS_INVALID_NAME",
  "AWS_IO_SOCKET_CLOSED",
  "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
  ...PING_TIMEOUT_ERROR_NAMES,
  // A handshake or CONNACK that never came: the broker or the path froze. A timeout is not a
  // refusal, so these are network evidence, never auth_or_policy.
  "AWS_IO_TLS_NEGOTIATION_TIMEOUT",
  "AWS_ERROR_MQTT5_CONNACK_TIMEOUT",
]);
/**
 * TLS errors of a handshake the other side refused or that could not be trusted: a client
 * certificate the broker does not trust ends in a read failure or an alert, a server
 * certificate the client does not trust in an unknown root or a bad chain. Read on failed
 * attempts only (during a session, a TLS read failure is the link). From aws-c-io's error list.
 */
export const TLS_REFUSALS: ReadonlySet<string> = new Set([
  "AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE",
  "AWS_IO_TLS_ERROR_READ_FAILURE",
  "AWS_IO_TLS_ERROR_WRITE_FAILURE",
  "AWS_IO_TLS_ERROR_ALERT_RECEIVED",
  "AWS_IO_TLS_ALERT_NOT_GRACEFUL",
  "AWS_IO_TLS_BAD_CERTIFICATE",
  "AWS_IO_TLS_CERTIFICATE_EXPIRED",
  "AWS_IO_TLS_CERTIFICATE_NOT_YET_VALID",
  "AWS_IO_TLS_UNKNOWN_ROOT_CERTIFICATE",
  "AWS_IO_TLS_NO_ROOT_CERTIFICATE_FOUND",
  "AWS_IO_TLS_INVALID_CERTIFICATE_CHAIN",
  "AWS_IO_TLS_HOST_NAME_MISMATCH",
  "AWS_IO_TLS_BAD_PEER_CERTIFICATE",
  "AWS_IO_TLS_PEER_CERTIFICATE_EXPIRED",
  "AWS_IO_TLS_PEER_CERTIFICATE_REVOKED",
  "AWS_IO_TLS_PEER_CERTIFICATE_UNKNOWN",
  "AWS_IO_TLS_ERROR_DEFAULT_TRUST_STORE_NOT_FOUND",
  "AWS_IO_TLS_CTX_ERROR",
  "AWS_IO_FILE_VALIDATION_FAILURE",
]);

export const THROTTLE_REASONS = new Set<number>([
  DisconnectReason.MESSAGE_RATE_TOO_HIGH,
  DisconnectReason.QUOTA_EXCEEDED,
  DisconnectReason.SERVER_BUSY,
  DisconnectReason.CONNECTION_RATE_EXCEEDED,
]);
/** CONNACK codes: 0x86 bad user name or password, 0x87 not authorized, 0x8A banned, 0x8C bad auth method. */
/**
 * A failed attempt of a WebSocket transport that names its credentials: SigV4 signing or the
 * credentials provider failed (aws-c-auth's errors, `AWS_AUTH_*`: e.g.
 * `AWS_AUTH_SIGNING_NO_CREDENTIALS` when the default chain found none), or the endpoint refused
 * the WebSocket upgrade (AWS IoT answers 403 to a bad signature or a denying custom authorizer).
 */
export function isCredentialRefusal(errorName: string): boolean {
  return errorName.startsWith("AWS_AUTH_") || errorName === "AWS_ERROR_HTTP_WEBSOCKET_UPGRADE_FAILURE";
}

export const AUTH_CONNACK = new Set([0x86, 0x87, 0x8a, 0x8c]);
export const THROTTLE_CONNACK = new Set([0x89, 0x97, 0x9f]);
