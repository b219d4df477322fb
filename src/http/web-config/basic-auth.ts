import { createHash, timingSafeEqual } from "node:crypto";
import bcrypt from "bcryptjs";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errorBody } from "../errors.js";

const REALM = 'Basic realm="mqtt-diagnostics"';
// Compared against when the user is unknown, so that a wrong user name costs as long as a wrong password.
const DUMMY_HASH = bcrypt.hashSync("not-a-password", 10);
const MAX_CACHED = 256;

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * `basic_auth_users` (bcrypt hashes), on every path as exporter-toolkit does. bcrypt costs
 * ~100 ms by design, so a successful check is remembered (as a SHA-256 of the credentials) and
 * a scrape every few seconds does not pay it each time.
 */
export function basicAuthPlugin(users: Record<string, string>) {
  const verified = new Map<string, Buffer>();
  const digest = (user: string, password: string) => createHash("sha256").update(`${user}\0${password}`).digest();

  const check = async (user: string, password: string): Promise<boolean> => {
    const key = digest(user, password);
    const cached = verified.get(user);
    if (cached !== undefined && timingSafeEqual(cached, key)) return true;
    const hash = Object.hasOwn(users, user) ? users[user] : undefined;
    const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
    if (ok && hash !== undefined) {
      if (verified.size >= MAX_CACHED) verified.clear();
      verified.set(user, key);
    }
    return ok && hash !== undefined;
  };

  const deny = (reply: FastifyReply) =>
    reply.code(401).header("www-authenticate", REALM).send(errorBody(401, "Unauthorized", "valid basic auth credentials are required"));

  return (app: FastifyInstance) => {
    app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
      const creds = parseBasic(request.headers.authorization);
      if (creds === undefined || !(await check(creds.user, creds.password))) return deny(reply);
      return undefined;
    });
  };
}
