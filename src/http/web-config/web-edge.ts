import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";
import { BasicAuthChecker } from "./basic-auth.js";
import { basicAuthEdge, clientCertEdge, headersEdge, rateLimitEdge } from "./edge-plugins.js";
import type { WebSettings } from "./web-settings.js";
import { TokenBucket } from "./rate-limit.js";
import { reloadRefusal } from "./reload-check.js";

/** What one web config enforces per request; replaced as a whole on reload. */
interface Policy {
  settings: WebSettings;
  checker: BasicAuthChecker | undefined;
  limiter: TokenBucket | undefined;
}

function policyOf(settings: WebSettings, previous?: BasicAuthChecker): Policy {
  const { users } = settings;
  return {
    settings,
    checker: users === undefined ? undefined : (previous?.withUsers(users) ?? new BasicAuthChecker(users)),
    limiter: settings.rateLimit === undefined ? undefined : new TokenBucket(settings.rateLimit.intervalMs, settings.rateLimit.burst),
  };
}

/**
 * The web config's enforcement on the app: TLS server options, and the edge plugins
 * (edge-plugins.ts) reading the current policy. `reload` swaps the policy (users, headers, client checks, rate
 * limit) and the TLS certificates in place; what needs a new server (TLS on or off, HTTP/2) or
 * would weaken authentication (reload-check.ts) is refused with a line saying so, and the old
 * policy stays.
 */
export class WebEdge {
  private policy: Policy;
  private app: FastifyInstance | undefined;

  constructor(settings: WebSettings) {
    this.policy = policyOf(settings);
  }

  get settings(): WebSettings {
    return this.policy.settings;
  }

  appDeps(): Pick<AppDeps, "serverOptions" | "plugins"> {
    const { tls, http2 } = this.policy.settings;
    const serverOptions: Record<string, unknown> = {};
    if (tls !== undefined) {
      serverOptions["https"] = { ...tls.options, ...(http2 ? { allowHTTP1: true } : {}) };
      if (http2) serverOptions["http2"] = true;
    }
    return { serverOptions, plugins: [async (app) => this.attach(app)] };
  }

  /** Applies a new web config to the running server, or throws a ConfigError and keeps the old one. */
  async reload(settings: WebSettings): Promise<void> {
    const refusal = reloadRefusal(this.policy.settings, settings);
    if (refusal !== undefined) throw refusal;
    if (settings.tls !== undefined) {
      const server = this.app?.server as { setSecureContext?: (o: object) => void; rejectUnauthorized?: boolean } | undefined;
      server?.setSecureContext?.(settings.tls.options);
      // Read per connection by Node's TLS server: the handshake follows a changed client_auth_type.
      if (server !== undefined) server.rejectUnauthorized = settings.tls.options.rejectUnauthorized;
    }
    const previous = this.policy;
    this.policy = policyOf(settings, previous.checker);
    // A checker that lives on (same verifier) keeps its worker; one that is replaced ends it.
    if (previous.checker !== undefined && previous.checker.verifier !== this.policy.checker?.verifier) await previous.checker.close();
  }

  private async attach(app: FastifyInstance): Promise<void> {
    this.app = app;
    // exporter-toolkit's order: rate limit, then client certificate, then basic auth.
    await app.register(rateLimitEdge, { limiter: () => this.policy.limiter });
    await app.register(clientCertEdge, { tls: () => this.policy.settings.tls });
    await app.register(basicAuthEdge, { checker: () => this.policy.checker });
    await app.register(headersEdge, { headers: () => this.policy.settings.headers });
    app.addHook("onClose", async () => this.policy.checker?.close());
  }
}
