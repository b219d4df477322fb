// `mqtt-diagnostics-exporter/service`: the whole service in-process, and the parts it is built from.
export { startService, type RunningService, type ServiceOptions } from "../service/start-service.js";
export { buildApp, type AppDeps } from "../http/app.js";
export { createTelemetry, type Telemetry, type TelemetryOptions } from "../metrics/telemetry.js";
export { validateConfig, loadConfigFile } from "../config/load.js";
export type { Config, ConnectionConfig } from "../config/schema.js";
