import type { DeviceSnapshot } from "./device-state.js";
import { sdkVersionOf } from "./records.js";

/** A fleet checkpoint's shape (a checkpoint is data from disk: checked before it is used). */
export interface CheckedFleetSnapshot {
  version: 1;
  devices: DeviceSnapshot[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const count = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

const FIELDS: Readonly<Record<Exclude<keyof DeviceSnapshot, "sdk_version">, (v: unknown) => boolean>> = {
  client_id: (v) => typeof v === "string" && v !== "" && v.length <= 256,
  last_seq: count,
  discarded_total: count,
  aws: (v) => Array.isArray(v),
  lines: (v) => Array.isArray(v),
  seen: (v) => Array.isArray(v) && v.every((k) => count(k) && (k as number) <= 0xffffffff),
  reasons: (v) => isObj(v) && Object.values(v).every(count),
  aws_drops: count,
  evidence_drops: count,
  connects: count,
  evidence_events: count,
  transport: (v) => v === null || (typeof v === "string" && v.length <= 64),
};

/** Fields a checkpoint written by an older version may lack. */
const OPTIONAL: Readonly<Record<string, (v: unknown) => boolean>> = {
  sdk_version: (v) => v === null || sdkVersionOf(v) !== undefined,
};

/** Checks a fleet checkpoint; throws an Error naming the first bad field. */
export function checkFleetSnapshot(value: unknown): CheckedFleetSnapshot {
  if (!isObj(value) || value["version"] !== 1 || !Array.isArray(value["devices"])) throw new Error("fleet snapshot: not a version 1 fleet snapshot");
  (value["devices"] as unknown[]).forEach((d, i) => {
    if (!isObj(d)) throw new Error(`fleet snapshot: devices[${i}] is not an object`);
    for (const [name, check] of Object.entries(FIELDS)) {
      if (!Object.hasOwn(d, name) || !check(d[name]))
        throw new Error(`fleet snapshot: devices[${i}].${name} is ${Object.hasOwn(d, name) ? "invalid" : "absent"}`);
    }
    for (const [name, check] of Object.entries(OPTIONAL))
      if (Object.hasOwn(d, name) && !check(d[name])) throw new Error(`fleet snapshot: devices[${i}].${name} is invalid`);
  });
  return value as unknown as CheckedFleetSnapshot;
}
