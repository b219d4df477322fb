import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { STATUS_CODES } from "node:http";
import { DebugLogController } from "./debug-log-controller.js";
import type { AppDeps } from "./deps.js";
import { errorBody } from "./errors.js";
import { mqttDiagnostics } from "./plugin.js";
import { boundHttp1OverHttp2, closeEverySocketOnClose, DEFAULT_TIMEOUTS, serverOptionsFor } from "./server-limits.js";

export type { AppDeps, Readiness } from "./deps.js";

function loggerOption(logger: AppDeps["logger"]): Partial<FastifyServerOptions> {
  if (logger === undefined) return { logger: { level: "info" } };
  if (typeof logger === "object" && logger !== null && "child" in logger && typeof logger.child === "function") {
    return { loggerInstance: logger };
  }
  return { logger: logger };
}

/** No legitimate query to these endpoints comes close; anything longer is refused before routing. */
export const MAX_URL_LENGTH = 2048;

/** The HTTP face of the exporter; `main` only wires dependencies and listens. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  const { https, ...serverOptions } = deps.serverOptions ?? {};
  const app = Fastify({
    ...loggerOption(deps.logger),
    logController: new DebugLogController(),
    routerOptions: { maxParamLength: 200 },
    // Unknown query parameters are mistakes to report, not to strip silently.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
    ...serverOptions,
    // Bounded work per client: a slow or idle client cannot hold a connection for long.
    ...serverOptionsFor(timeouts, https as Record<string, unknown> | undefined),
  }) as unknown as FastifyInstance;
  closeEverySocketOnClose(app, timeouts.closeGraceMs);
  if (serverOptions["http2"] === true) boundHttp1OverHttp2(app, Math.min(timeouts.headersMs, timeouts.requestMs));

  // Known paths, so that a wrong method on one gets 405 with Allow rather than 404.
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const set = methodsByPath.get(route.url) ?? new Set<string>();
    for (const m of methods) set.add(m);
    methodsByPath.set(route.url, set);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const allowed = methodsByPath.get(path);
    if (allowed !== undefined) {
      const allow = [...allowed].sort().join(", ");
      return reply
        .code(405)
        .header("allow", allow)
        .send(errorBody(405, "Method Not Allowed", `${request.method} is not allowed on ${path}; use ${allow}`));
    }
    return reply.code(404).send(errorBody(404, "Not Found", `no route ${request.method} ${path}`));
  });

  app.setErrorHandler(async (error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (error.validation !== undefined) {
      return reply.code(400).send(errorBody(400, "Bad Request", error.message));
    }
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, "request failed");
    return reply.code(status).send(errorBody(status, STATUS_CODES[status] ?? "Error", status === 500 ? "internal error" : error.message));
  });

  app.addHook("onRequest", async (request, reply) => {
    if (request.url.length > MAX_URL_LENGTH) {
      return reply.code(414).send(errorBody(414, "URI Too Long", `the URL is longer than ${MAX_URL_LENGTH} characters`));
    }
    return undefined;
  });

  for (const plugin of deps.plugins ?? []) await plugin(app);

  await app.register(mqttDiagnostics, {
    registry: deps.registry,
    telemetry: deps.telemetry,
    ...(deps.diagnoser !== undefined ? { diagnoser: deps.diagnoser } : {}),
    ...(deps.readiness !== undefined ? { readiness: deps.readiness } : {}),
    ...(deps.maxEventsRetained !== undefined ? { maxEventsRetained: deps.maxEventsRetained } : {}),
    ...(deps.statusSections !== undefined ? { statusSections: deps.statusSections } : {}),
  });
  return app;
}
