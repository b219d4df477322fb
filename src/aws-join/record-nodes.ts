import { RingBuffer } from "../ring-buffer.js";
import type { ClientNode } from "./nodes.js";
import type { RecordKey } from "./record-key.js";

/** The client-side kinds that make a record the collector retains. */
export type RecordKind = "drop" | "success" | "failure";

/** One kind's record keys and their join nodes, slot for slot. */
class Pairs {
  readonly records: RingBuffer<RecordKey>;
  readonly nodes: RingBuffer<ClientNode>;
  constructor(capacity: number) {
    this.records = new RingBuffer(capacity);
    this.nodes = new RingBuffer(capacity);
  }
}

/**
 * Which join node each retained record has: per kind, the records' keys and their nodes in two rings
 * of the collector's `max_events_retained`, so a record keeps its node exactly as long as the
 * collector retains it (the newest that many of its kind), whatever the other kinds do. Filing
 * a record is two array stores and nothing else. A lookup is by key, only when a reader
 * asks: readers (the export, the status page, the diagnosis) walk the newest records in order,
 * so each lookup first tries the slot beside the last one found (O(1)), else scans from the newest.
 */
export class RecordNodes {
  private readonly byKind: readonly Pairs[];
  // Private (#): where the last lookup found its record; a cache, not state (the state's JSON never shows it).
  #hint: Pairs | null = null;
  #hintAt = 0;

  constructor(capacity: number) {
    this.byKind = [new Pairs(capacity), new Pairs(capacity), new Pairs(capacity)];
  }

  add(kind: RecordKind, record: RecordKey, node: ClientNode): void {
    const pairs = this.byKind[kind === "drop" ? 0 : kind === "success" ? 1 : 2] as Pairs;
    pairs.records.push(record);
    pairs.nodes.push(node);
  }

  /** The node filed with this record's key, while the record is among its kind's retained. */
  get(record: RecordKey): ClientNode | undefined {
    const hint = this.#hint;
    if (hint !== null) {
      // The same record again (its reason, then its outcome), the next one, or the one before.
      const at = this.#hintAt;
      if (hint.records.at(at) === record) return hint.nodes.at(at);
      if (hint.records.at(at + 1) === record) return this.found(hint, at + 1);
      if (hint.records.at(at - 1) === record) return this.found(hint, at - 1);
    }
    for (const pairs of this.byKind) {
      for (let i = pairs.records.size - 1; i >= 0; i--) if (pairs.records.at(i) === record) return this.found(pairs, i);
    }
    return undefined;
  }

  clear(): void {
    for (const pairs of this.byKind) {
      pairs.records.clear();
      pairs.nodes.clear();
    }
    this.#hint = null;
  }

  private found(pairs: Pairs, i: number): ClientNode | undefined {
    this.#hint = pairs;
    this.#hintAt = i;
    return pairs.nodes.at(i);
  }
}
