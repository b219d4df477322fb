import type { FastifyInstance } from "fastify";
import type { Telemetry } from "../../metrics/telemetry.js";
import { NO_QUERY } from "./query.js";

export function metricsRoutes(app: FastifyInstance, telemetry: Telemetry): void {
  app.get("/metrics", { schema: { querystring: NO_QUERY, response: { 200: { type: "string" } } } }, async (request, reply) => {
    const { contentType, body } = await telemetry.render(request.headers.accept);
    return reply.type(contentType).send(body);
  });
}
