/**
 * A record that carries its key: the collector's record rings make their records of this class,
 * with the key in a private field (invisible to JSON.stringify, Object.keys, spreads,
 * Object.assign and deep equality), so the join files and finds a record's node by its key and
 * keeps no record object; and its owner (the rings that made it), so the collector can tell its
 * own records from another collector's.
 */
export class KeyedRecord {
  readonly #owner: object;
  readonly #key: number;

  constructor(owner: object, key: number) {
    this.#owner = owner;
    this.#key = key;
  }

  /** The key of a keyed record, else undefined (any other object). */
  static keyOf(record: object): number | undefined {
    return #key in record ? record.#key : undefined;
  }

  /** The owner of a keyed record, else undefined. */
  static ownerOf(record: object): object | undefined {
    return #owner in record ? record.#owner : undefined;
  }
}

/**
 * What the join files a record by: the key the collector's record rings gave it, or the record
 * object itself where it has none (a ledger used on its own: by identity).
 */
export type RecordKey = object | number;

/** A record's key: the one given (the collector hands its records' keys), or the one a keyed record carries, else the object itself. */
export function recordKeyOf(record: RecordKey): RecordKey {
  return typeof record === "number" ? record : (KeyedRecord.keyOf(record) ?? record);
}
