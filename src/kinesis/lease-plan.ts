import { isFree, SHARD_END, type Lease } from "./lease-store.js";

export interface ShardInfo {
  shardId: string;
  parentShardId?: string | undefined;
  adjacentParentShardId?: string | undefined;
}

export interface LeasePlan {
  /** Shards to take now (free ones, up to the fair share). */
  take: string[];
  /** A shard to ask its owner for, when none is free and an owner holds more than its share. */
  ask?: { shardId: string; owner: string };
}

/**
 * A shard can be read once its parents (after a split or merge) are read to their end, so each
 * device's records are applied in order; a parent no longer listed has been trimmed away.
 */
export function readable(shard: ShardInfo, listed: ReadonlySet<string>, leases: ReadonlyMap<string, Lease>): boolean {
  if (leases.get(shard.shardId)?.checkpoint === SHARD_END) return false;
  return [shard.parentShardId, shard.adjacentParentShardId].every((p) => p === undefined || !listed.has(p) || leases.get(p)?.checkpoint === SHARD_END);
}

/**
 * Which leases this replica takes: each live replica's fair share is ceil(readable shards / live
 * replicas); free shards first, then one asked of the most loaded replica, none while one it
 * asked for is still coming. A pure function of the shards, the leases and the time.
 */
export function planLeases(shards: readonly ShardInfo[], leases: ReadonlyMap<string, Lease>, me: string, now: number): LeasePlan {
  const listed = new Set(shards.map((s) => s.shardId));
  const open = shards.filter((s) => readable(s, listed, leases)).map((s) => s.shardId);
  const held = new Map<string, string[]>([[me, []]]);
  for (const id of open) {
    const lease = leases.get(id);
    if (lease === undefined || isFree(lease, now) || lease.owner === null) continue;
    held.set(lease.owner, [...(held.get(lease.owner) ?? []), id]);
  }
  const share = Math.ceil(open.length / held.size);
  const mine = held.get(me)?.length ?? 0;
  const take = open.filter((id) => isFree(leases.get(id), now)).slice(0, Math.max(0, share - mine));
  // A handover already asked for counts as coming: asking again before it comes would take more than the share.
  if (mine + take.length + open.filter((s) => leases.get(s)?.wanted_by === me).length >= share) return { take };
  let ask: LeasePlan["ask"];
  let most = share;
  for (const [owner, ids] of held) {
    const id = ids.find((s) => leases.get(s)?.wanted_by === undefined);
    if (owner !== me && ids.length > most && id !== undefined) {
      most = ids.length;
      ask = { shardId: id, owner };
    }
  }
  return ask === undefined ? { take } : { take, ask };
}
