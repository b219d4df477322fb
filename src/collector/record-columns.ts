import { KeyedRecord } from "../aws-join/record-key.js";
import { EVENT_FIELDS, type RecordedKind } from "./event-model.js";
import type { Field } from "./schema.js";

type Values = readonly unknown[];
type Source = Readonly<Record<string, unknown>>;

/** A kind's record layout: which fields are numbers (booleans as 0/1) and which are strings, in the table's order. */
export interface ColumnLayout {
  readonly names: readonly string[];
  /** Per field: its column in the numbers (>= 1; 0 is the time) or the strings, and whether it is a boolean. */
  readonly columns: readonly { readonly numeric: boolean; readonly boolean: boolean; readonly column: number; readonly derived: boolean }[];
  /** Numbers per record (the time included). */
  readonly numStride: number;
  /** Strings per record. */
  readonly strStride: number;
}

const NUMERIC = new Set<Field["type"]>(["boolean", "int", "count", "number"]);

export function layoutOf(kind: RecordedKind): ColumnLayout {
  let nums = 1;
  let strs = 0;
  const fields = Object.entries(EVENT_FIELDS[kind] as Readonly<Record<string, Field>>);
  const columns = fields.map(([, f]) => {
    const numeric = NUMERIC.has(f.type);
    return { numeric, boolean: f.type === "boolean", column: numeric ? nums++ : strs++, derived: f.derived === true };
  });
  return { names: fields.map(([name]) => name), columns, numStride: nums, strStride: strs };
}

/** How one kind's records are stored and read back. */
export interface RecordCodec {
  readonly layout: ColumnLayout;
  /**
   * Writes a record's fields (not its timestamp) at `n` in the numbers and `s` in the strings:
   * line fields from `line`, derived ones from `derived` (a record: both), null when absent.
   */
  write(line: Source, derived: Source, nums: number[], n: number, strs: (string | null)[], s: number): void;
  /** The record stored at `n` and `s`, with its timestamp. */
  read(owner: object, key: number, timestamp: string, nums: readonly number[], n: number, strs: readonly (string | null)[], s: number): KeyedRecord;
}

// A stored number: NaN stands for null (no field's check accepts NaN: ints and counts are integers, numbers finite).
const toNum = (v: unknown, boolean: boolean): unknown => (boolean ? (v === true ? 1 : v === false ? 0 : NaN) : (v ?? NaN));
/** A stored number's value: booleans back from 0 and 1, NaN back to null. */
export const fromNum = (v: number, boolean: boolean): number | boolean | null => (boolean ? (v === 1 ? true : v === 0 ? false : null) : v !== v ? null : v);

/** The codec compiled from the constant event table: one class and straight-line code per kind. */
function compiled(layout: ColumnLayout): RecordCodec {
  const q = (name: string) => JSON.stringify(name);
  const params = layout.names.map((_, i) => `v${i}`);
  const assigns = layout.names.map((name, i) => `this[${q(name)}] = v${i};`).join(" ");
  const write = layout.columns.map(({ numeric, boolean, column, derived }, i) => {
    const v = `${derived ? "derived" : "line"}[${q(layout.names[i] as string)}]`;
    if (!numeric) return `strs[s + ${column}] = ${v} ?? null;`;
    return boolean ? `{ const v = ${v}; nums[n + ${column}] = v === true ? 1 : v === false ? 0 : NaN; }` : `nums[n + ${column}] = ${v} ?? NaN;`;
  });
  const read = layout.columns.map(({ numeric, boolean, column }) => {
    if (!numeric) return `strs[s + ${column}]`;
    return boolean ? `(nums[n + ${column}] === 1 ? true : nums[n + ${column}] === 0 ? false : null)` : `num(nums[n + ${column}])`;
  });
  // The names are the table's own (JSON-quoted), never input: no code comes from outside.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled once per kind from the constant table
  const make = new Function(
    "Base",
    `"use strict";
    const num = (v) => (v !== v ? null : v);
    // Anonymous: shown as a plain object by test and debug printers.
    const C = class extends Base { constructor(owner, key, timestamp, ${params.join(", ")}) { super(owner, key); this.timestamp = timestamp; ${assigns} } };
    return {
      write: (line, derived, nums, n, strs, s) => { ${write.join(" ")} },
      read: (owner, key, timestamp, nums, n, strs, s) => new C(owner, key, timestamp, ${read.join(", ")}),
    };`,
  ) as (base: typeof KeyedRecord) => Omit<RecordCodec, "layout">;
  return { layout, ...make(KeyedRecord) };
}

/** The same codec as loops, where the process forbids code generation from strings: same records, slower. */
export function looped(layout: ColumnLayout): RecordCodec {
  const { names, columns } = layout;
  const C = class extends KeyedRecord {
    constructor(owner: object, key: number, timestamp: string, values: Values) {
      super(owner, key);
      const self = this as unknown as Record<string, unknown>;
      self["timestamp"] = timestamp;
      names.forEach((name, i) => (self[name] = values[i]));
    }
  };
  return {
    layout,
    write: (line, derived, nums, n, strs, s) =>
      columns.forEach(({ numeric, boolean, column, derived: isDerived }, i) => {
        const v = (isDerived ? derived : line)[names[i] as string];
        if (numeric) nums[n + column] = toNum(v, boolean) as number;
        else strs[s + column] = (v ?? null) as string | null;
      }),
    read: (owner, key, timestamp, nums, n, strs, s) =>
      new C(
        owner,
        key,
        timestamp,
        columns.map(({ numeric, boolean, column }) => (numeric ? fromNum(nums[n + column] as number, boolean) : strs[s + column])),
      ),
  };
}

const CODECS = new Map<RecordedKind, RecordCodec>();

/** A kind's codec (made once per kind, shared by every ring): compiled, or looped where code generation from strings is forbidden. */
export function codecOf(kind: RecordedKind): RecordCodec {
  let codec = CODECS.get(kind);
  if (codec === undefined) {
    const layout = layoutOf(kind);
    try {
      codec = compiled(layout);
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
      codec = looped(layout);
    }
    CODECS.set(kind, codec);
  }
  return codec;
}
