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
      .send(errorBody(404, "Not Found", name === undefined ? "no connection is configured" : `unknown connection '${name}' (known: ${known.join(", ") || "none"})`));
  }
  return collector;
}

export const connectionParam = { type: "string", minLength: 1, maxLength: 128 } as const;

export function diagnosticsRoutes(app: FastifyInstance, registry: CollectorRegistry, maxLimit: number, diagnoser?: Diagnoser): void {
  app.get<{ Querystring: ConnectionQuery }>(
    "/diagnostics.json",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { connection: connectionParam, limit: { type: "integer", minimum: 1, maximum: maxLimit } },
        },
      },
    },
    async (request, reply) => {
      const collector = pickCollector(registry, request.query.connection, reply);
      if (collector === undefined) return reply;
      const doc = collector.export(request.query.limit ?? Math.min(DEFAULT_EXPORT_LIMIT, maxLimit));
      const body = diagnoser === undefined ? doc : { ...doc, diagnosis: diagnoser(collector.connection) };
      // Indented like the seed's export_json(), for people reading it with curl.
      return reply.type("application/json; charset=utf-8").send(JSON.stringify(body, null, 2));
    },
  );
}
