// `mqtt-diagnostics-exporter/collector`: the collector's parts, for tests and tools.
export { DEFAULT_EXPORT_LIMIT, DEFAULT_MAX_EVENTS_RETAINED } from "../collector/collector.js";
export { type Clock, ManualClock, systemClock } from "../clock.js";
export { describeError, errorLabel, type ErrorInfo } from "../collector/error-info.js";
export { disconnectReasonName, connackReasonName, DisconnectReason } from "../collector/reason-codes.js";
export { parseLifecycleEvent, parseLifecycleJson, lifecycleTopic, lifecycleTopics, AWS_DISCONNECT_REASONS } from "../aws-join/events.js";
export type { LifecycleEvent, ConnectedEvent, DisconnectedEvent, ConnectFailedEvent, AwsDisconnectReason } from "../aws-join/events.js";
export { joinLifecycle, DEFAULT_JOIN_WINDOW_MS, type LifecycleJoin, type ClientSideEvent } from "../aws-join/join.js";
export { NAMES as METRIC_NAMES } from "../metrics/names.js";
export { MAX_CONNECTIONS } from "../metrics/cardinality.js";
