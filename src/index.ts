// Library entry point: what applications embedding the collector import.
export { MqttDiagnosticsCollector, DEFAULT_EXPORT_LIMIT, DEFAULT_MAX_EVENTS_RETAINED } from "./collector/collector.js";
export type { CollectorOptions, OperationalStatistics, DropInput, SuccessInput, FailureInput, RecordedEvent, DropListener, EventListener } from "./collector/collector.js";
export { CollectorRegistry } from "./collector/registry.js";
export { type Clock, ManualClock, systemClock } from "./collector/clock.js";
export { describeError, errorLabel, type ErrorInfo } from "./collector/error-info.js";
export { disconnectReasonName, connackReasonName, DisconnectReason } from "./collector/reason-codes.js";
export type * from "./collector/types.js";
export type * from "./journal/events.js";
export { DEFAULT_CONNECTION } from "./journal/events.js";
