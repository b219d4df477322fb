import type { ConnectionDropEvent } from "../collector/types.js";
import type { ConnectionHistory, ServerSide } from "./history.js";
import type { Finding } from "./types.js";

export type Rule = (h: ConnectionHistory) => Finding | undefined;

/** A drop that ended a session, with what AWS said about its end when known. */
export type EndedDrop = ConnectionDropEvent & ServerSide & { duration_connected_seconds: number };

/** What a rule derives from a history, computed once per history however many rules ask (histories are never changed). */
export function perHistory<T>(derive: (h: ConnectionHistory) => T): (h: ConnectionHistory) => T {
  const memo = new WeakMap<ConnectionHistory, { value: T }>();
  return (h) => {
    const hit = memo.get(h);
    if (hit !== undefined) return hit.value;
    const value = derive(h);
    memo.set(h, { value });
    return value;
  };
}

/** Drops that ended a session (later drops before the next success carry no duration). */
export const ended: (h: ConnectionHistory) => EndedDrop[] = perHistory((h) => h.drops.filter((d): d is EndedDrop => d.duration_connected_seconds !== null));

export const withReason = (h: ConnectionHistory, codes: ReadonlySet<number>) =>
  h.drops.filter((d) => d.disconnect_reason_code !== null && codes.has(d.disconnect_reason_code));

/** `A ×3, B ×1`: how often each value occurs, in order of first appearance. */
export const countBy = (xs: readonly string[]) => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].map(([k, n]) => `${k} ×${n}`).join(", ");
};
