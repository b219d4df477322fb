import type { FastifyInstance } from "fastify";
import type { CollectorRegistry } from "../../collector/registry.js";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function indexRoute(app: FastifyInstance, registry: CollectorRegistry): void {
  app.get("/", async (_request, reply) => {
    const links = registry
      .names()
      .map((n) => `<li><a href="/diagnostics.json?connection=${encodeURIComponent(n)}">${escapeHtml(n)}</a></li>`)
      .join("");
    return reply.type("text/html; charset=utf-8").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mqtt-diagnostics-exporter</title></head>
<body><h1>mqtt-diagnostics-exporter</h1>
<ul><li><a href="/metrics">/metrics</a> (Prometheus)</li><li><a href="/diagnostics.json">/diagnostics.json</a></li>
<li><a href="/healthz">/healthz</a></li><li><a href="/readyz">/readyz</a></li></ul>
<h2>Connections</h2><ul>${links}</ul></body></html>`);
  });
}
