import type { Attributes } from "@opentelemetry/api";
import type { Families, Family, ZeroHistogram } from "./prometheus-text.js";

/** What was written for one metric at the last collection, and the numbers it was written from. */
export interface FamilyMemo {
  /** The family's exposition name (`_total` added to counters). */
  name: string;
  family: Family | undefined;
  /** Each point's attributes object, in order. */
  attributes: Attributes[];
  /** Each point's value (a histogram's count and sum). */
  values: number[];
  /** Each series' line prefixes: its labels are spelled once, not at every scrape. */
  prefixes: WeakMap<Attributes, string[]>;
}

/**
 * One provider's rendering memory, kept between scrapes: a scrape after an event re-writes only
 * the families whose numbers changed (an event moves two or three of a connection's ~20), and
 * one where nothing changed gets the same Families back, so its bytes are not encoded again.
 */
export class RenderMemo {
  last: Families | undefined;
  private readonly byMetric = new Map<string, FamilyMemo>();
  private readonly zeroLines = new Map<string, string>();
  private readonly zeroBodies = new Map<string, string>();

  family(metric: string): FamilyMemo {
    let m = this.byMetric.get(metric);
    if (m === undefined) {
      m = { name: metric, family: undefined, attributes: [], values: [], prefixes: new WeakMap() };
      this.byMetric.set(metric, m);
    }
    return m;
  }

  /** The all-zero series of histogram `z` for connection `c`, written once. */
  zeros(z: ZeroHistogram, c: string, write: () => string): string {
    const key = `${z.name}\u0000${c}`;
    let lines = this.zeroLines.get(key);
    if (lines === undefined) {
      lines = write();
      this.zeroLines.set(key, lines);
    }
    return lines;
  }

  /** Whether histogram `name`'s zero series differ from the last collection's. */
  zerosChanged(name: string, body: string): boolean {
    if (this.zeroBodies.get(name) === body) return false;
    this.zeroBodies.set(name, body);
    return true;
  }
}
