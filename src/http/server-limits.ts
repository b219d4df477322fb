import type { Socket } from "node:net";
import type { FastifyInstance, FastifyServerOptions } from "fastify";

/** How long a client may take; every bound applies whatever the client sends or withholds. */
export interface ServerTimeouts {
  /** A socket with no bytes moving either way is closed (also a TLS client that never handshakes). */
  idleMs: number;
  /** The request line and headers must arrive within this (slowloris). */
  headersMs: number;
  /** The whole request must arrive within this. */
  requestMs: number;
  /** An idle keep-alive connection between requests. */
  keepAliveMs: number;
  /** On close, requests in flight get this long before every remaining socket is destroyed. */
  closeGraceMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { idleMs: 10_000, headersMs: 10_000, requestMs: 10_000, keepAliveMs: 5_000, closeGraceMs: 1_000 };

/**
 * Fastify and Node options that make the timeouts fire on time. Node checks headersTimeout and
 * requestTimeout only every connectionsCheckingInterval (30 s by default), and the socket idle
 * timeout never starts on a TLS socket before its handshake, which has its own 120 s default.
 */
export function serverOptionsFor(t: ServerTimeouts, https: Record<string, unknown> | undefined): Partial<FastifyServerOptions> & Record<string, unknown> {
  const checking = Math.max(100, Math.min(1_000, Math.floor(Math.min(t.headersMs, t.requestMs) / 4)));
  const http = { headersTimeout: t.headersMs, requestTimeout: t.requestMs, connectionsCheckingInterval: checking, keepAliveTimeout: t.keepAliveMs };
  return {
    requestTimeout: t.requestMs,
    connectionTimeout: t.idleMs,
    http2SessionTimeout: t.idleMs,
    keepAliveTimeout: t.keepAliveMs,
    http,
    ...(https !== undefined ? { https: { ...https, ...http, handshakeTimeout: Math.min(t.idleMs, t.headersMs) } } : {}),
  };
}

/**
 * Tracks every TCP connection from accept (before TLS and HTTP parsing), so that closing the app
 * never waits on a socket that sends nothing: after `graceMs` for requests in flight, the rest are
 * destroyed and `close()` completes.
 */
export function closeEverySocketOnClose(app: FastifyInstance, graceMs: number): void {
  const sockets = new Set<Socket>();
  app.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  let timer: NodeJS.Timeout | undefined;
  app.addHook("preClose", (done) => {
    timer = setTimeout(() => {
      for (const s of sockets) s.destroy();
    }, graceMs);
    timer.unref();
    done();
  });
  app.addHook("onClose", (_instance, done) => {
    clearTimeout(timer);
    done();
  });
}

/**
 * Node's HTTP/2 server hands HTTP/1.1 clients (allowHTTP1) to the HTTP/1 parser without its
 * headersTimeout or requestTimeout: headers trickled a byte at a time kept such a connection open
 * for good. Here each HTTP/1.1 request on it must arrive within `ms` of the connection or of the
 * previous response, or the socket is destroyed.
 */
export function boundHttp1OverHttp2(app: FastifyInstance, ms: number): void {
  const server = app.server as unknown as import("node:events").EventEmitter;
  const timers = new WeakMap<Socket, NodeJS.Timeout>();
  const arm = (socket: Socket) => {
    clearTimeout(timers.get(socket));
    const t = setTimeout(() => socket.destroy(), ms);
    t.unref();
    timers.set(socket, t);
  };
  server.on("secureConnection", (socket: Socket & { alpnProtocol?: string | false }) => {
    if (socket.alpnProtocol === "h2") return;
    arm(socket);
    socket.once("close", () => clearTimeout(timers.get(socket)));
  });
  server.on("request", (request: { socket: Socket & { alpnProtocol?: string | false } }, response: import("node:events").EventEmitter) => {
    const socket = request.socket;
    if (socket.alpnProtocol === "h2" || !timers.has(socket)) return;
    clearTimeout(timers.get(socket));
    response.once("finish", () => arm(socket));
  });
}
