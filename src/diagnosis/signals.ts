import { DisconnectReason } from "../collector/reason-codes.js";

// aws-crt error names, grouped by what they say about the link.
/** A keep-alive ping that got no answer (MQTT 5, MQTT 3.1.1); the dashboards and alerts use these too. */
export const PING_TIMEOUT_ERROR_NAMES = ["AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT", "AWS_ERROR_MQTT_TIMEOUT"] as const;
export const PING_TIMEOUTS: ReadonlySet<string> = new Set(PING_TIMEOUT_ERROR_NAMES);
export const HANGUPS = new Set(["AWS_ERROR_MQTT_UNEXPECTED_HANGUP", "AWS_IO_SOCKET_CLOSED", "AWS_ERROR_MQTT_CONNECTION_DESTROYED"]);
export const NETWORK_ERRORS = new Set([
  "AWS_IO_SOCKET_TIMEOUT",
  "AWS_IO_SOCKET_CONNECTION_REFUSED",
  "AWS_IO_SOCKET_NETWORK_DOWN",
  "AWS_IO_SOCKET_NO_ROUTE_TO_HOST",
  "AWS_IO_DNS_QUERY_FAILED",
  "AWS_IO_DNS_INVALID_NAME",
  "AWS_IO_SOCKET_CLOSED",
  "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
  "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT",
  "AWS_ERROR_MQTT_TIMEOUT",
]);
export const TLS_ERRORS = new Set(["AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE", "AWS_IO_TLS_NEGOTIATION_TIMEOUT", "AWS_IO_FILE_VALIDATION_FAILURE"]);

export const THROTTLE_REASONS = new Set<number>([
  DisconnectReason.MESSAGE_RATE_TOO_HIGH,
  DisconnectReason.QUOTA_EXCEEDED,
  DisconnectReason.SERVER_BUSY,
  DisconnectReason.CONNECTION_RATE_EXCEEDED,
]);
/** CONNACK codes: 0x86 bad user name or password, 0x87 not authorized, 0x8A banned, 0x8C bad auth method. */
export const AUTH_CONNACK = new Set([0x86, 0x87, 0x8a, 0x8c]);
export const THROTTLE_CONNACK = new Set([0x89, 0x97, 0x9f]);
