import bcrypt from "bcryptjs";
import { BcryptVerifier, type VerifierLimits } from "./bcrypt-verifier.js";
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

/**
 * The place a request comes from, as the verification queue shares turns: an IPv4 address (also
 * when mapped into IPv6), or an IPv6 /64, the block one host is usually given, so that rotating
 * addresses inside it does not buy a flood more turns.
 */
export function sourceKey(address: string | undefined): string {
  if (address === undefined) return "";
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4 !== null) return v4[1] as string;
  if (!address.includes(":")) return address;
  const [head = "", tail] = address.split("::");
  const groups = head === "" ? [] : head.split(":");
  // "a:b::" or "a::b": the groups after "::" come after a run of zeros.
  const rest = tail === undefined ? [] : tail.split(":").filter((g) => g !== "");
  const full = tail === undefined ? groups : [...groups, ...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill("0"), ...rest];
  return `${full
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export interface CheckerLimits extends VerifierLimits {
  maxCachedFailures?: number;
}

/** The decision alone (no HTTP): cache first, then one bcrypt comparison off the event loop. */
export class BasicAuthChecker {
  readonly verifier: BcryptVerifier;
  private readonly cache: CredentialCache;
  private readonly dummy: string;
  private readonly inFlight = new Map<string, Promise<AuthOutcome>>();

  constructor(
    private readonly users: ReadonlyMap<string, string>,
    options: CheckerLimits = {},
    shared?: { verifier: BcryptVerifier; cache: CredentialCache },
  ) {
    this.verifier = shared?.verifier ?? new BcryptVerifier(options);
    this.cache = shared?.cache ?? new CredentialCache(options.maxCachedFailures);
    this.dummy = dummyHashFor(users.values());
  }

  /**
   * The checker for a reloaded `basic_auth_users`: the same verifier (its queue and worker go on),
   * and the verified-good credentials of every user whose hash did not change, so a SIGHUP (often
   * sent with an unchanged file) does not send every scraper back through bcrypt. An identical
   * user table keeps this very checker, failures cached included.
   */
  withUsers(users: ReadonlyMap<string, string>): BasicAuthChecker {
    const same = (name: string) => users.get(name) === this.users.get(name) && users.has(name);
    if (users.size === this.users.size && [...users.keys()].every(same)) return this;
    const kept = [...this.users.keys()].filter(same);
    return new BasicAuthChecker(users, {}, { verifier: this.verifier, cache: this.cache.keepingGood(kept) });
  }

  check(user: string, password: string, source?: string): Promise<AuthOutcome> {
    const key = this.cache.key(user, password);
    const known = this.cache.lookup(user, key);
    if (known !== "unknown") return Promise.resolve(known === "good" ? "ok" : "denied");
    // The same credentials arriving together (a scrape and its retry) share one comparison.
    const id = key.toString("hex");
    const running = this.inFlight.get(id);
    if (running !== undefined) return running;
    const hash = this.users.get(user);
    const result = this.verifier.verify(password, hash ?? this.dummy, source).then((verdict): AuthOutcome => {
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
