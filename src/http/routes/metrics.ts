import type { FastifyInstance, FastifyReply } from "fastify";
import type { ExpositionAnswer, Telemetry } from "../../metrics/telemetry.js";
import { NO_QUERY } from "./query.js";

/** Where /metrics comes from: an app's own reader has no cached exposition at hand. */
export type MetricsSource = Pick<Telemetry, "exposition"> & Partial<Pick<Telemetry, "readyExposition">>;

function send(reply: FastifyReply, answer: Readonly<ExpositionAnswer>): void {
  if (answer.contentEncoding !== undefined) reply.header("content-encoding", answer.contentEncoding);
  // A Buffer goes out as it is: no serializer, its length is the content-length.
  void reply.type(answer.contentType).header("vary", "accept-encoding").send(answer.body);
}

/**
 * `/metrics`. A scrape the cache can answer at once (nothing changed since the last rendering,
 * its gzip made) is sent in the request's own tick: no promise between the request and the
 * bytes, which was most of what a cached scrape cost beyond the HTTP stack's own work.
 */
export function metricsRoutes(app: FastifyInstance, telemetry: MetricsSource): void {
  app.get("/metrics", { schema: { querystring: NO_QUERY, response: { 200: { type: "string" } } } }, (request, reply) => {
    const acceptEncoding = request.headers["accept-encoding"];
    const ready = telemetry.readyExposition?.(acceptEncoding);
    if (ready !== undefined) return send(reply, ready);
    return telemetry.exposition(acceptEncoding).then((answer) => send(reply, answer));
  });
}
