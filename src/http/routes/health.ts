import type { FastifyInstance } from "fastify";
import type { Readiness } from "../deps.js";
import { NO_QUERY } from "./query.js";

const readinessSchema = {
  type: "object",
  properties: { status: { type: "string" }, checks: { type: "object", additionalProperties: { type: "string" } } },
  required: ["status", "checks"],
} as const;

export function healthRoutes(app: FastifyInstance, readiness: () => Readiness): void {
  app.get("/healthz", { schema: { querystring: NO_QUERY, response: { 200: { type: "object", properties: { status: { type: "string" } } } } } }, () => ({
    status: "ok",
  }));
  app.get("/readyz", { schema: { querystring: NO_QUERY, response: { 200: readinessSchema, 503: readinessSchema } } }, async (_request, reply) => {
    const r = readiness();
    return reply.code(r.ready ? 200 : 503).send({ status: r.ready ? "ready" : "not ready", checks: r.checks });
  });
}
