import type { AppDeps } from "../deps.js";
import { UsageError } from "../../cli/usage-error.js";

export interface WebConfig {
  appDeps: Partial<Omit<AppDeps, "registry" | "telemetry" | "logger">>;
}

/** Placeholder until the exporter-toolkit web-config support lands: refuse rather than ignore. */
export function loadWebConfig(file: string): Promise<WebConfig> {
  return Promise.reject(new UsageError(`--web.config.file: '${file}': TLS and basic auth are not supported yet`));
}
