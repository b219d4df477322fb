import type { FastifyInstance } from "fastify";
import type { Telemetry } from "../../metrics/telemetry.js";
import { NO_QUERY } from "./query.js";

export function metricsRoutes(app: FastifyInstance, telemetry: Pick<Telemetry, "exposition">): void {
  app.get("/metrics", { schema: { querystring: NO_QUERY, response: { 200: { type: "string" } } } }, async (request, reply) => {
    const { contentType, contentEncoding, body } = await telemetry.exposition(request.headers["accept-encoding"]);
    if (contentEncoding !== undefined) reply.header("content-encoding", contentEncoding);
    return reply.type(contentType).header("vary", "accept-encoding").send(body);
  });
}
