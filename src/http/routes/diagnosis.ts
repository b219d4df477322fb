import type { FastifyInstance } from "fastify";
import type { CollectorRegistry } from "../../collector/registry.js";
import type { Diagnoser } from "../../diagnosis/diagnoser.js";
import { connectionParam, pickCollector, type ConnectionQuery } from "./diagnostics.js";

const findingSchema = {
  type: "object",
  properties: {
    cause: { type: "string" },
    confidence: { type: "number" },
    summary: { type: "string" },
    evidence: { type: "array", items: { type: "string" } },
    recommendation: { type: "string" },
  },
  required: ["cause", "confidence", "summary", "evidence", "recommendation"],
} as const;

export const diagnosisSchema = {
  type: "object",
  properties: {
    connection: { type: "string" },
    status: { type: "string", enum: ["healthy", "findings", "insufficient_data"] },
    findings: { type: "array", items: findingSchema },
    note: { type: "string" },
    evaluated_at: { type: "string" },
    limits: { type: "array", items: { type: "string" } },
  },
  required: ["connection", "status", "findings", "note", "evaluated_at"],
} as const;

export function diagnosisRoutes(app: FastifyInstance, registry: CollectorRegistry, diagnoser: Diagnoser): void {
  app.get<{ Querystring: Omit<ConnectionQuery, "limit"> }>(
    "/diagnosis.json",
    {
      schema: {
        querystring: { type: "object", additionalProperties: false, properties: { connection: connectionParam } },
        response: { 200: diagnosisSchema },
      },
    },
    async (request, reply) => {
      const collector = pickCollector(registry, request.query.connection, reply);
      if (collector === undefined) return reply;
      return diagnoser(collector.connection);
    },
  );
}
