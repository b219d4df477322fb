import type { FastifyInstance, FastifyReply } from "fastify";
import type { CollectorRegistry } from "../../collector/registry.js";
import { DEFAULT_EXPORT_LIMIT } from "../../collector/collector.js";
import type { Diagnoser } from "../../diagnosis/diagnoser.js";
import { errorBody } from "../errors.js";

export interface ConnectionQuery {
  connection?: string;
  limit?: number;
}

/** Shared by the routes that take `?connection=`: the named collector, or the first, or a 404. */
export function pickCollector(registry: CollectorRegistry, name: string | undefined, reply: FastifyReply) {
  const collector = name === undefined ? registry.first() : registry.get(name);
  if (collector === undefined) {
    const known = registry.names();
    void reply
      .code(404)
      .send(
        errorBody(404, "Not Found", name === undefined ? "no connection is configured" : `unknown connection '${name}' (known: ${known.join(", ") || "none"})`),
      );
  }
  return collector;
}

export const connectionParam = { type: "string", minLength: 1, maxLength: 128 } as const;

/**
 * The most events of each kind one request can ask for: with a large retention, one request for
 * everything was 41 MB of JSON and slowed every other route. Documented in docs/export-document.md.
 */
export const MAX_EXPORT_LIMIT = 1000;

/** Why a `?limit=` above what one request may ask is refused, or undefined when it is fine. */
export function limitRefusal(limit: number, retained: number): string | undefined {
  if (limit > MAX_EXPORT_LIMIT) return `querystring/limit ${limit} is above the maximum of ${MAX_EXPORT_LIMIT} events per request`;
  if (limit > retained) return `querystring/limit ${limit} is above max_events_retained (${retained}): no more events are kept`;
  return undefined;
}

export function diagnosticsRoutes(app: FastifyInstance, registry: CollectorRegistry, retained: number, diagnoser?: Diagnoser): void {
  app.get<{ Querystring: ConnectionQuery }>(
    "/diagnostics.json",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { connection: connectionParam, limit: { type: "integer", minimum: 1 } },
        },
      },
    },
    async (request, reply) => {
      const refusal = request.query.limit === undefined ? undefined : limitRefusal(request.query.limit, retained);
      if (refusal !== undefined) return reply.code(400).send(errorBody(400, "Bad Request", refusal));
      const collector = pickCollector(registry, request.query.connection, reply);
      if (collector === undefined) return reply;
      const doc = collector.export(request.query.limit ?? Math.min(DEFAULT_EXPORT_LIMIT, retained));
      const body = diagnoser === undefined ? doc : { ...doc, diagnosis: diagnoser(collector.connection) };
      // Indented like the original module's export_json(), for people reading it with curl.
      return reply.type("application/json; charset=utf-8").send(JSON.stringify(body, null, 2));
    },
  );
}
