import { mkdir, readdir, readFile, rename, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Lease, LeaseStore, ShardStateStore } from "./lease-store.js";

const LOCK_STALE_MS = 5000;
const LOCK_WAIT_MS = 10_000;

/**
 * Leases as one JSON file per shard in a directory the replicas of one host share. A change is
 * made under a per-shard lock (a directory: `mkdir` is atomic) and written to a temporary file
 * renamed over the old one, so a replica killed at any instant leaves the last whole lease; a
 * lock left by a killed replica is broken after 5 s. A shard's checkpointed device state is kept
 * beside its lease, in `SHARD.state/`, one JSON file per checkpoint (written and renamed the same way).
 */
export class DirectoryLeaseStore implements LeaseStore, ShardStateStore {
  constructor(private readonly dir: string) {}

  private stateDir(shardId: string): string {
    return join(this.dir, `${encodeURIComponent(shardId)}.state`);
  }

  async writeState(shardId: string, name: string, snapshot: unknown): Promise<void> {
    const dir = this.stateDir(shardId);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${encodeURIComponent(name)}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(snapshot));
    await rename(`${file}.tmp`, file);
  }

  async readState(shardId: string, name: string): Promise<unknown> {
    return JSON.parse(await readFile(join(this.stateDir(shardId), `${encodeURIComponent(name)}.json`), "utf8"));
  }

  async pruneStates(shardId: string, keep: readonly string[]): Promise<void> {
    const kept = new Set(keep.map((n) => `${encodeURIComponent(n)}.json`));
    const names = await readdir(this.stateDir(shardId)).catch(() => [] as string[]);
    for (const n of names) if (n.endsWith(".json") && !kept.has(n)) await unlink(join(this.stateDir(shardId), n)).catch(() => undefined);
  }

  private file(shardId: string): string {
    return join(this.dir, `${encodeURIComponent(shardId)}.lease.json`);
  }

  async all(): Promise<Lease[]> {
    await mkdir(this.dir, { recursive: true });
    const out: Lease[] = [];
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith(".lease.json")) continue;
      const lease = await this.read(join(this.dir, name));
      if (lease !== undefined) out.push(lease);
    }
    return out;
  }

  async update(shardId: string, change: (current: Lease | undefined) => Lease | undefined): Promise<Lease | undefined> {
    await mkdir(this.dir, { recursive: true });
    const file = this.file(shardId);
    const lock = `${file}.lock`;
    await this.lock(lock);
    try {
      const next = change(await this.read(file));
      if (next === undefined) return undefined;
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(next));
      await rename(tmp, file);
      return next;
    } finally {
      await rmdir(lock).catch(() => undefined);
    }
  }

  private async read(file: string): Promise<Lease | undefined> {
    try {
      return JSON.parse(await readFile(file, "utf8")) as Lease;
    } catch {
      return undefined;
    }
  }

  private async lock(lock: string): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await mkdir(lock);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const since = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (since > LOCK_STALE_MS) await rmdir(lock).catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`lease lock ${lock} held for over ${LOCK_WAIT_MS} ms`);
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
  }
}
