import { CAUSES } from "../diagnosis/types.js";
import type { FleetState } from "./fleet-state.js";

/** The causes a device can have in the fleet: the diagnosis's, and its two statuses. */
export const FLEET_CAUSE_NAMES: readonly string[] = [...CAUSES, "healthy", "insufficient_data"];
export const DEVICE_SORTS = ["drops", "client_id"] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

export interface DeviceRow {
  client_id: string;
  cause: string | null;
  drops: number;
  connected: boolean;
  transport: string | null;
  last_seq: number;
}

export interface DevicePage {
  devices: DeviceRow[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next_cursor: string | null;
  /** Devices that match the filter, over all pages. */
  total: number;
}

/** Why a cursor is refused: a 400 with this reason. */
export class CursorError extends Error {}

type Key = [drops: number, clientId: string];

const encode = (k: Key) => Buffer.from(JSON.stringify(k)).toString("base64url");

function decode(cursor: string): Key {
  let k: unknown;
  try {
    k = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    k = undefined;
  }
  if (!Array.isArray(k) || k.length !== 2 || typeof k[0] !== "number" || typeof k[1] !== "string")
    throw new CursorError("querystring/cursor is not a cursor this endpoint gave (use next_cursor of the previous page)");
  return k as Key;
}

/**
 * One page of the fleet's devices: those of a cause (or all), most drops first (ties by client
 * ID) or by client ID, after the cursor. Keyset paging: a page never repeats or skips a device
 * that stays put while the client pages.
 */
export function devicePage(state: FleetState, q: { cause?: string; sort: DeviceSort; cursor?: string; limit: number }): DevicePage {
  const after = q.cursor === undefined ? undefined : decode(q.cursor);
  const byDrops = q.sort === "drops";
  const before = (a: Key, b: Key) => (byDrops && a[0] !== b[0] ? a[0] > b[0] : a[1] < b[1]);
  const rows: DeviceRow[] = [];
  let total = 0;
  for (const { device, cause } of state.devices()) {
    if (q.cause !== undefined && cause !== q.cause) continue;
    total++;
    if (after !== undefined && !before(after, [device.drops, device.clientId])) continue;
    rows.push({ client_id: device.clientId, cause, drops: device.drops, connected: device.connected, transport: device.transport, last_seq: device.lastSeq });
  }
  rows.sort((a, b) => (before([a.drops, a.client_id], [b.drops, b.client_id]) ? -1 : 1));
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return { devices: page, next_cursor: rows.length > q.limit && last !== undefined ? encode([last.drops, last.client_id]) : null, total };
}
