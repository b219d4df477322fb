// Library entry point: what an application embedding the collector needs, one way each.
// The rest is in the subpath entries (src/exports/): /collector, /journal, /diagnosis, /service.

// A collector per connection, attached to the application's own client.
export { MqttDiagnosticsCollector } from "./collector/collector.js";
export type {
  CollectorOptions,
  OperationalStatistics,
  DropInput,
  SuccessInput,
  FailureInput,
  RecordedEvent,
  DropListener,
  EventListener,
} from "./collector/collector.js";
export { CollectorRegistry } from "./collector/registry.js";
export type * from "./collector/types.js";
export { instrumentMqtt5Client, type ClientAdapterOptions, type Mqtt5ClientAdapter } from "./mqtt/mqtt5-adapter.js";
export { instrumentMqtt311Connection, type Mqtt311AdapterOptions, type Mqtt311ConnectionAdapter } from "./mqtt/mqtt311-adapter.js";
// AWS IoT Core's lifecycle events, from the application's own client's messages.
export { observeLifecycle, type LifecycleObserver, type ObserveLifecycleOptions } from "./mqtt/observe-lifecycle.js";

// The device's own evidence, shipped to the fleet over the application's own client.
export { EvidenceShipper, type EvidenceShipperOptions, type ShipperStats } from "./ship/shipper.js";
export { mqtt5Publisher, mqtt311Publisher, type EvidencePublish } from "./mqtt/evidence-publish.js";

// The HTTP side in the application's Fastify app.
export { mqttDiagnostics, type MqttDiagnosticsOptions, type MqttDiagnosticsRoutes } from "./http/plugin.js";
export type { Readiness } from "./http/deps.js";
export type { MetricsReader } from "./metrics/reader-exposition.js";

// The instruments on a MeterProvider or Meter the application owns.
export { registerInstruments, type RegisterInstrumentsOptions } from "./metrics/register.js";
export { metricViews } from "./metrics/views.js";

/** @deprecated the adapters' options: use ClientAdapterOptions (registerInstruments' are RegisterInstrumentsOptions). */
export type { ClientAdapterOptions as InstrumentOptions } from "./mqtt/mqtt5-adapter.js";
/** @deprecated renamed Mqtt5ClientAdapter ("instrument" names the OpenTelemetry instruments). */
export type { Mqtt5ClientAdapter as InstrumentedMqtt5Client } from "./mqtt/mqtt5-adapter.js";
/** @deprecated renamed Mqtt311ConnectionAdapter. */
export type { Mqtt311ConnectionAdapter as InstrumentedMqtt311Connection } from "./mqtt/mqtt311-adapter.js";
/** @deprecated renamed Mqtt311AdapterOptions. */
export type { Mqtt311AdapterOptions as Mqtt311InstrumentOptions } from "./mqtt/mqtt311-adapter.js";
