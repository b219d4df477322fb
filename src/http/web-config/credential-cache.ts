import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** What a cache lookup knows about a user name and password pair. */
export type Known = "good" | "bad" | "unknown";

/**
 * Remembers bcrypt verdicts so that a scrape every few seconds, or a client retrying the same
 * wrong password, does not pay bcrypt again. Keys are an HMAC of the credentials under a key made
 * at start-up: no password is kept, and the keys are useless outside this process.
 * Good verdicts are kept per configured user (one entry each), apart from the bounded LRU of bad
 * ones, so that a flood of distinct wrong passwords cannot evict a real user's entry.
 */
export class CredentialCache {
  private readonly good = new Map<string, Buffer>();
  private readonly bad = new Map<string, true>();

  constructor(
    private readonly maxBad = 1024,
    private readonly secret = randomBytes(32),
  ) {}

  /**
   * A cache for a changed user table: the good verdicts of `users` (their hashes unchanged), under
   * the same key. Failures are forgotten: a password refused before may be the new one.
   */
  keepingGood(users: Iterable<string>): CredentialCache {
    const next = new CredentialCache(this.maxBad, this.secret);
    for (const user of users) {
      const key = this.good.get(user);
      if (key !== undefined) next.good.set(user, key);
    }
    return next;
  }

  key(user: string, password: string): Buffer {
    return createHmac("sha256", this.secret).update(`${user.length}:${user}:${password}`).digest();
  }

  lookup(user: string, key: Buffer): Known {
    const good = this.good.get(user);
    if (good !== undefined && timingSafeEqual(good, key)) return "good";
    const hex = key.toString("hex");
    if (this.bad.has(hex)) {
      // Least recently used goes first: touch on every hit.
      this.bad.delete(hex);
      this.bad.set(hex, true);
      return "bad";
    }
    return "unknown";
  }

  remember(user: string, key: Buffer, good: boolean): void {
    if (good) {
      this.good.set(user, key);
      return;
    }
    const hex = key.toString("hex");
    this.bad.delete(hex);
    this.bad.set(hex, true);
    if (this.bad.size > this.maxBad) {
      const oldest = this.bad.keys().next();
      if (oldest.done !== true) this.bad.delete(oldest.value);
    }
  }
}
