import bcrypt from "bcryptjs";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { BasicAuthChecker } from "../../../../src/http/web-config/basic-auth.js";
import { basicAuthEdge, clientCertEdge, headersEdge, rateLimitEdge } from "../../../../src/http/web-config/edge-plugins.js";
import { webConfigFrom } from "../../../../src/http/web-config/load-web-config.js";
import { TokenBucket } from "../../../../src/http/web-config/rate-limit.js";
import { startTestApp } from "../../../helpers/app.js";
import { probe } from "../../../helpers/https-probe.js";
import { webConfigFixture, type WebConfigRow } from "../../../helpers/web-config-rows.js";

const { dir, servers, files, trusted } = webConfigFixture("mde-edges-");
const hash = bcrypt.hashSync("s3cret", 4);

const rows: WebConfigRow[] = [
  {
    option: "headers: each one the toolkit allows",
    yaml: () =>
      `${files()}http_server_config:\n  headers:\n    Content-Security-Policy: "default-src 'self'"\n    X-Frame-Options: sameorigin\n    X-Content-Type-Options: nosniff\n    X-XSS-Protection: "1; mode=block"\n    Strict-Transport-Security: max-age=31536000\n`,
    expect: [[trusted(), 200]],
  },
  {
    option: "basic_auth_users",
    yaml: () => `${files()}basic_auth_users:\n  prometheus: ${hash}\n`,
    expect: [
      [trusted(), 401],
      [{ ...trusted(), auth: "prometheus:s3cret" }, 200],
      [{ ...trusted(), auth: "prometheus:x" }, 401],
    ],
  },
  {
    option: "rate_limit (interval 1m, burst 2)",
    yaml: () => `${files()}rate_limit:\n  interval: 1m\n  burst: 2\n`,
    expect: [
      [trusted(), 200],
      [trusted(), 200],
      [trusted(), 429],
      [{ ...trusted(), h2: true }, 429],
    ],
  },
];

describe("exporter-toolkit web-config options: each file starts and serves (real TLS clients)", () => {
  it.each(rows.map((r) => [r.option, r] as const))("%s", async (_option, row) => servers.check(row));

  it("headers are on every response, refusals included; HTTP/2 is spoken when asked", async () => {
    const url = await servers.serve(`${files()}basic_auth_users:\n  prometheus: ${hash}\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n`);
    const denied = await probe(`${url}/healthz`, { ...trusted(), h2: true });
    expect(denied.status).toBe(401);
    expect(denied.httpVersion).toBe("2.0");
    expect(denied.headers["www-authenticate"]).toBe('Basic realm="mqtt-diagnostics", charset="UTF-8"');
    expect(denied.headers["x-frame-options"]).toBe("deny");
    const ok = await probe(`${url}/metrics`, { ...trusted(), auth: "prometheus:s3cret" });
    expect(ok.httpVersion).toBe("1.1");
    expect(ok.headers["x-frame-options"]).toBe("deny");
  });
});

describe("the basic auth edge (@fastify/basic-auth parsing)", () => {
  it("a malformed or control-character Authorization header is 401 with the challenge", async () => {
    const web = webConfigFrom({ basic_auth_users: { alice: bcrypt.hashSync("pw", 4) } }, dir);
    const t = await startTestApp(["heater-1"], web.appDeps);
    try {
      for (const authorization of [
        "Basic !!!",
        `Basic ${Buffer.from("alice:p\nw").toString("base64")}`,
        "Bearer x",
        `Basic ${Buffer.from("alice").toString("base64")}`,
      ]) {
        const r = await t.app.inject({ url: "/metrics", headers: { authorization } });
        expect(r.statusCode).toBe(401);
        expect(r.headers["www-authenticate"]).toMatch(/^Basic realm="mqtt-diagnostics"/);
        expect(r.json()).toMatchObject({ statusCode: 401, error: "Unauthorized" });
      }
    } finally {
      await t.close();
    }
  });
});

// Each edge alone in a bare Fastify app: a policy read through its getter on every request.
describe("each edge as a plugin of its own", () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
  });
  async function bare(register: (app: FastifyInstance) => PromiseLike<unknown>): Promise<FastifyInstance> {
    const app = Fastify({ logger: false });
    apps.push(app);
    await register(app);
    app.get("/x", () => ({ ok: true }));
    return app;
  }
  const basic = (auth: string) => ({ authorization: `Basic ${Buffer.from(auth).toString("base64")}` });

  it("rateLimitEdge: 429 with Retry-After once the bucket is empty; no limiter, no limit", async () => {
    let limiter: TokenBucket | undefined = new TokenBucket(60_000, 1, () => 0);
    const app = await bare((a) => a.register(rateLimitEdge, { limiter: () => limiter }));
    expect((await app.inject({ url: "/x" })).statusCode).toBe(200);
    const refused = await app.inject({ url: "/x" });
    expect([refused.statusCode, refused.headers["retry-after"]]).toEqual([429, "60"]);
    expect(refused.json<{ message: string }>().message).toBe("rate limit exceeded (rate_limit in the web config)");
    limiter = undefined;
    expect((await app.inject({ url: "/x" })).statusCode).toBe(200);
  });

  it("basicAuthEdge: checks only while a checker is set, and a busy checker is a 429 asking to retry", async () => {
    const checker = new BasicAuthChecker(new Map([["alice", bcrypt.hashSync("pw", 8)]]), { maxQueued: 0 });
    let current: BasicAuthChecker | undefined;
    const app = await bare((a) => a.register(basicAuthEdge, { checker: () => current }));
    try {
      expect((await app.inject({ url: "/x" })).statusCode).toBe(200);
      current = checker;
      expect((await app.inject({ url: "/x" })).statusCode).toBe(401);
      // One comparison runs, none may wait: the second distinct guess is refused at once.
      const [first, second] = await Promise.all([app.inject({ url: "/x", headers: basic("alice:a") }), app.inject({ url: "/x", headers: basic("alice:b") })]);
      expect(first.statusCode).toBe(401);
      expect([second.statusCode, second.headers["retry-after"]]).toEqual([429, "1"]);
      expect((await app.inject({ url: "/x", headers: basic("alice:pw") })).statusCode).toBe(200);
    } finally {
      await checker.close();
    }
  });

  it("clientCertEdge: without TLS, or with NoClientCert, every request passes", async () => {
    const app = await bare((a) => a.register(clientCertEdge, { tls: () => undefined }));
    expect((await app.inject({ url: "/x" })).statusCode).toBe(200);
  });

  it("headersEdge: the current headers on every response, a 404 included", async () => {
    let headers = new Map([["X-Frame-Options", "deny"]]);
    const app = await bare((a) => a.register(headersEdge, { headers: () => headers }));
    expect((await app.inject({ url: "/nope" })).headers["x-frame-options"]).toBe("deny");
    headers = new Map([["X-Content-Type-Options", "nosniff"]]);
    const r = await app.inject({ url: "/x" });
    expect([r.headers["x-frame-options"], r.headers["x-content-type-options"]]).toEqual([undefined, "nosniff"]);
  });
});
