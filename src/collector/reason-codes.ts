/**
 * MQTT 5 reason code names (OASIS MQTT 5.0, section 2.4), in snake_case. They are the values of
 * the `reason` label and of the JSON export, so they must stay stable.
 */
const DISCONNECT_REASONS: Readonly<Record<number, string>> = {
  0x00: "normal_disconnection",
  0x04: "disconnect_with_will_message",
  0x80: "unspecified_error",
  0x81: "malformed_packet",
  0x82: "protocol_error",
  0x83: "implementation_specific_error",
  0x87: "not_authorized",
  0x89: "server_busy",
  0x8b: "server_shutting_down",
  0x8d: "keep_alive_timeout",
  0x8e: "session_taken_over",
  0x8f: "topic_filter_invalid",
  0x90: "topic_name_invalid",
  0x93: "receive_maximum_exceeded",
  0x94: "topic_alias_invalid",
  0x95: "packet_too_large",
  0x96: "message_rate_too_high",
  0x97: "quota_exceeded",
  0x98: "administrative_action",
  0x99: "payload_format_invalid",
  0x9a: "retain_not_supported",
  0x9b: "qos_not_supported",
  0x9c: "use_another_server",
  0x9d: "server_moved",
  0x9e: "shared_subscriptions_not_supported",
  0x9f: "connection_rate_exceeded",
  0xa0: "maximum_connect_time",
  0xa1: "subscription_identifiers_not_supported",
  0xa2: "wildcard_subscriptions_not_supported",
};

const CONNACK_REASONS: Readonly<Record<number, string>> = {
  0x00: "success",
  0x80: "unspecified_error",
  0x81: "malformed_packet",
  0x82: "protocol_error",
  0x83: "implementation_specific_error",
  0x84: "unsupported_protocol_version",
  0x85: "client_identifier_not_valid",
  0x86: "bad_user_name_or_password",
  0x87: "not_authorized",
  0x88: "server_unavailable",
  0x89: "server_busy",
  0x8a: "banned",
  0x8c: "bad_authentication_method",
  0x90: "topic_name_invalid",
  0x95: "packet_too_large",
  0x97: "quota_exceeded",
  0x99: "payload_format_invalid",
  0x9a: "retain_not_supported",
  0x9b: "qos_not_supported",
  0x9c: "use_another_server",
  0x9d: "server_moved",
  0x9f: "connection_rate_exceeded",
};

function nameOf(table: Readonly<Record<number, string>>, code: number): string {
  return table[code] ?? `reason_0x${code.toString(16).padStart(2, "0")}`;
}

export function disconnectReasonName(code: number): string {
  return nameOf(DISCONNECT_REASONS, code);
}

export function connackReasonName(code: number): string {
  return nameOf(CONNACK_REASONS, code);
}

export const DisconnectReason = {
  NOT_AUTHORIZED: 0x87,
  SERVER_BUSY: 0x89,
  SERVER_SHUTTING_DOWN: 0x8b,
  KEEP_ALIVE_TIMEOUT: 0x8d,
  SESSION_TAKEN_OVER: 0x8e,
  MESSAGE_RATE_TOO_HIGH: 0x96,
  QUOTA_EXCEEDED: 0x97,
  CONNECTION_RATE_EXCEEDED: 0x9f,
  MAXIMUM_CONNECT_TIME: 0xa0,
} as const;
