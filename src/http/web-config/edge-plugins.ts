import type { TLSSocket } from "node:tls";
import fastifyBasicAuth from "@fastify/basic-auth";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { errorBody } from "../errors.js";
import { sourceKey, type BasicAuthChecker } from "./basic-auth.js";
import { clientCertRefusal } from "./client-cert.js";
import type { TokenBucket } from "./rate-limit.js";
import type { TlsServer } from "./tls-options.js";

// The web config's edges, one Fastify plugin each (fastify-plugin: their hooks apply to the whole
// app, in registration order). Each reads the current policy through a getter, so that SIGHUP
// swaps a policy without re-registering anything.

const REALM = "mqtt-diagnostics";

/** `rate_limit`: beyond the bucket, 429 before anything else runs (bcrypt included). */
export const rateLimitEdge = fp<{ limiter: () => TokenBucket | undefined }>(
  (app: FastifyInstance, o, done) => {
    app.addHook("onRequest", async (_request, reply) => {
      const wait = o.limiter()?.take();
      if (wait === undefined) return undefined;
      return reply
        .code(429)
        .header("retry-after", String(wait))
        .send(errorBody(429, "Too Many Requests", "rate limit exceeded (rate_limit in the web config)"));
    });
    done();
  },
  { name: "mqtt-diagnostics-rate-limit", fastify: "5.x" },
);

/** The client-certificate modes and SAN list that the TLS handshake alone does not enforce. */
export const clientCertEdge = fp<{ tls: () => TlsServer | undefined }>(
  (app: FastifyInstance, o, done) => {
    app.addHook("onRequest", async (request, reply) => {
      const tls = o.tls();
      if (tls === undefined || tls.mode === "NoClientCert") return undefined;
      const reason = clientCertRefusal(request.raw.socket as TLSSocket, tls.mode, tls.allowedSans);
      return reason === undefined ? undefined : reply.code(403).send(errorBody(403, "Forbidden", reason));
    });
    done();
  },
  { name: "mqtt-diagnostics-client-cert", fastify: "5.x" },
);

class AuthError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

/**
 * `basic_auth_users` on every path: @fastify/basic-auth parses the Authorization header (strictly,
 * control characters refused), and its `validate` asks the checker (cached verdicts, bcrypt on a
 * worker, a bounded queue shared fairly between source addresses, whose overflow is a 429). The
 * source is the socket's peer, never a forwarded-for header a client could choose.
 */
export const basicAuthEdge = fp<{ checker: () => BasicAuthChecker | undefined }>(
  async (app: FastifyInstance, o) => {
    await app.register(fastifyBasicAuth, {
      authenticate: { realm: REALM },
      validate: async (user, password, request, reply) => {
        const outcome = (await o.checker()?.check(user, password, sourceKey(request.socket.remoteAddress))) ?? "denied";
        if (outcome === "ok") return;
        if (outcome === "busy") {
          void reply.header("retry-after", "1");
          throw new AuthError("too many credentials are being verified; retry shortly", 429);
        }
        throw new AuthError("valid basic auth credentials are required", 401);
      },
    });
    app.addHook("onRequest", (request, reply, done) => {
      if (o.checker() === undefined) {
        done();
        return;
      }
      app.basicAuth(request, reply, done);
    });
  },
  { name: "mqtt-diagnostics-basic-auth", fastify: "5.x" },
);

/** `http_server_config.headers` on every response, refusals and errors included. */
export const headersEdge = fp<{ headers: () => ReadonlyMap<string, string> }>(
  (app: FastifyInstance, o, done) => {
    app.addHook("onSend", async (_request, reply, payload) => {
      for (const [name, value] of o.headers()) reply.header(name, value);
      return payload;
    });
    done();
  },
  { name: "mqtt-diagnostics-headers", fastify: "5.x" },
);
