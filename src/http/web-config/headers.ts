import type { FastifyInstance } from "fastify";

/** `http_server_config.headers`: set on every response. */
export function headersPlugin(headers: Record<string, string>) {
  return (app: FastifyInstance) => {
    app.addHook("onSend", async (_request, reply, payload) => {
      for (const [name, value] of Object.entries(headers)) reply.header(name, value);
      return payload;
    });
  };
}
