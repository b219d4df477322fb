import bcrypt from "bcryptjs";
import { BcryptVerifier } from "./bcrypt-verifier.js";
import { CredentialCache } from "./credential-cache.js";

export const BCRYPT_HASH = /^\$2[aby]?\$\d\d\$[./A-Za-z0-9]{53}$/;

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
