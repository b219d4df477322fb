import bcrypt from "bcryptjs";
import type { FastifyReply, FastifyRequest } from "fastify";
import { errorBody } from "../errors.js";
import { BcryptVerifier } from "./bcrypt-verifier.js";
import { CredentialCache } from "./credential-cache.js";

const REALM = 'Basic realm="mqtt-diagnostics"';
export const BCRYPT_HASH = /^\$2[aby]?\$\d\d\$[./A-Za-z0-9]{53}$/;

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function bcryptCost(hash: string): number {
  return Number(/^\$2[aby]?\$(\d\d)\$/.exec(hash)?.[1] ?? 10);
}

/**
 * Compared against when the user is unknown. Its cost is the highest of the configured users', so
 * an unknown name costs at least what a known one does and names cannot be told apart by timing.
 * No password matches it (the hash part is not one bcrypt produces for this salt).
 */
export function dummyHashFor(hashes: Iterable<string>): string {
  let cost = 4;
  for (const h of hashes) cost = Math.max(cost, bcryptCost(h));
  return bcrypt.genSaltSync(cost) + ".".repeat(31);
}

export type AuthOutcome = "ok" | "denied" | "busy";

/** The decision alone (no HTTP): cache first, then one bcrypt comparison off the event loop. */
export class BasicAuthChecker {
  readonly verifier: BcryptVerifier;
  private readonly cache: CredentialCache;
  private readonly dummy: string;
  private readonly inFlight = new Map<string, Promise<AuthOutcome>>();

  constructor(
    private readonly users: ReadonlyMap<string, string>,
    options: { maxQueued?: number; maxCachedFailures?: number } = {},
  ) {
    this.verifier = new BcryptVerifier(options.maxQueued);
    this.cache = new CredentialCache(options.maxCachedFailures);
    this.dummy = dummyHashFor(users.values());
  }

  check(user: string, password: string): Promise<AuthOutcome> {
    const key = this.cache.key(user, password);
    const known = this.cache.lookup(user, key);
    if (known !== "unknown") return Promise.resolve(known === "good" ? "ok" : "denied");
    // The same credentials arriving together (a scrape and its retry) share one comparison.
    const id = key.toString("hex");
    const running = this.inFlight.get(id);
    if (running !== undefined) return running;
    const hash = this.users.get(user);
    const result = this.verifier.verify(password, hash ?? this.dummy).then((verdict): AuthOutcome => {
      this.inFlight.delete(id);
      if (verdict === "busy") return "busy";
      const good = verdict === "ok" && hash !== undefined;
      this.cache.remember(user, key, good);
      return good ? "ok" : "denied";
    });
    this.inFlight.set(id, result);
    return result;
  }

  close(): Promise<void> {
    return this.verifier.close();
  }
}

/**
 * `basic_auth_users` (bcrypt hashes), on every path as exporter-toolkit does. A full verification
 * queue answers 429 with Retry-After at once: the caller without cached credentials retries, and
 * the server never piles up work for whoever sends the most wrong passwords. Undefined: allowed.
 */
export async function refuseUnauthenticated(checker: BasicAuthChecker, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const creds = parseBasic(request.headers.authorization);
  const outcome = creds === undefined ? "denied" : await checker.check(creds.user, creds.password);
  if (outcome === "ok") return undefined;
  if (outcome === "busy") {
    return reply.code(429).header("retry-after", "1").send(errorBody(429, "Too Many Requests", "too many credentials are being verified; retry shortly"));
  }
  return reply.code(401).header("www-authenticate", REALM).send(errorBody(401, "Unauthorized", "valid basic auth credentials are required"));
}
