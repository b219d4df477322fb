import { RingBuffer } from "../ring-buffer.js";
import type { ClientNode } from "./nodes.js";

/** The client-side kinds that make a record the collector retains. */
export type RecordKind = "drop" | "success" | "failure";

/** One kind's records and their join nodes, slot for slot. */
class Pairs {
  readonly records: RingBuffer<object>;
  readonly nodes: RingBuffer<ClientNode>;
  constructor(capacity: number) {
    this.records = new RingBuffer(capacity);
    this.nodes = new RingBuffer(capacity);
  }
}

/**
 * Which join node each retained record has: per kind, the records and their nodes in two rings
 * of the collector's `max_events_retained`, so a record keeps its node exactly as long as the
 * collector retains it (the newest that many of its kind), whatever the other kinds do. Filing
 * a record is two array stores; the record-to-node map is built only when a lookup asks, and
 * kept until the next record (exports, the status page and the diagnosis ask in bursts).
 */
export class RecordNodes {
  private readonly byKind: Readonly<Record<RecordKind, Pairs>>;
  /** Private (#): a cache, not state; the state's JSON (tests compare it before and after a read) never shows it. */
  #index: Map<object, ClientNode> | null = null;

  constructor(capacity: number) {
    this.byKind = { drop: new Pairs(capacity), success: new Pairs(capacity), failure: new Pairs(capacity) };
  }

  add(kind: RecordKind, record: object, node: ClientNode): void {
    const pairs = this.byKind[kind];
    pairs.records.push(record);
    pairs.nodes.push(node);
    this.#index = null;
  }

  /** The node filed with this record (by identity), while the record is among its kind's retained. */
  get(record: object): ClientNode | undefined {
    return (this.#index ??= this.build()).get(record);
  }

  clear(): void {
    for (const pairs of Object.values(this.byKind)) {
      pairs.records.clear();
      pairs.nodes.clear();
    }
    this.#index = null;
  }

  private build(): Map<object, ClientNode> {
    const index = new Map<object, ClientNode>();
    for (const { records, nodes } of Object.values(this.byKind)) {
      const rs = records.last();
      const ns = nodes.last();
      for (let i = 0; i < rs.length; i++) index.set(rs[i] as object, ns[i] as ClientNode);
    }
    return index;
  }
}
