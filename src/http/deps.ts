import type { FastifyBaseLogger, FastifyServerOptions } from "fastify";
import type { CollectorRegistry } from "../collector/registry.js";
import type { Diagnoser } from "../diagnosis/diagnoser.js";
import type { Telemetry } from "../metrics/telemetry.js";
import type { ServerTimeouts } from "./server-limits.js";

export interface Readiness {
  ready: boolean;
  /** Each check's state in words, e.g. `{ journal: "restored 1204 lines", listeners: "attached" }`. */
  checks: Record<string, string>;
}

export interface AppDeps {
  registry: CollectorRegistry;
  telemetry: Telemetry;
  readiness?: () => Readiness;
  /** A pino logger (or Fastify logger options); default: info level to stdout. */
  logger?: FastifyBaseLogger | FastifyServerOptions["logger"];
  /** Upper bound of `?limit=` on /diagnostics.json (the collectors' retention). */
  maxEventsRetained?: number;
  /** When given: /diagnosis.json, a `diagnosis` key in /diagnostics.json, and the verdict on `/`. */
  diagnoser?: Diagnoser;
  /** Merged into Fastify's options (TLS from the web config, timeouts). */
  serverOptions?: Partial<FastifyServerOptions> & Record<string, unknown>;
  /** Connection and request time limits (defaults: DEFAULT_TIMEOUTS). */
  timeouts?: Partial<ServerTimeouts>;
  /** More sections of the status page `/`, above the connections (fleet mode: the fleet's). */
  statusSections?: readonly (() => string)[];
  /** Plugins registered before the routes (authentication, headers). */
  plugins?: ((app: import("fastify").FastifyInstance) => Promise<void> | void)[];
}
