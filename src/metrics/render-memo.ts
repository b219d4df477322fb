import type { Attributes } from "@opentelemetry/api";

/** What was written for one metric at the last collection: the numbers it was written from. */
export interface FamilyMemo {
  /** The family's exposition name (`_total` added to counters). */
  name: string;
  /** Its `# HELP`/`# TYPE` text (shared by every connection), once written. */
  header: string | undefined;
  /** Each point's attributes object, in order. */
  attributes: Attributes[];
  /** Each point's value (a histogram's count and sum). */
  values: number[];
}

/**
 * One provider's rendering memory, kept between scrapes: a scrape after an event re-writes only
 * the families whose numbers changed (an event moves two or three of a connection's ~20); the
 * text itself is kept once, as the bytes of the cached exposition. It keeps numbers, no text
 * (not even label spellings): at 1,000 connections every kilobyte kept per connection is a megabyte.
 */
export class RenderMemo {
  /** Whether a rendering was made (the first is whole). */
  rendered = false;
  /** How many families the last rendering had. */
  familyCount = 0;
  private readonly byMetric = new Map<string, FamilyMemo>();
  private readonly missingZeros = new Map<string, string>();

  family(metric: string): FamilyMemo {
    let m = this.byMetric.get(metric);
    if (m === undefined) {
      m = { name: metric, header: undefined, attributes: [], values: [] };
      this.byMetric.set(metric, m);
    }
    return m;
  }

  /** Whether the connections that get histogram `name`'s zero series differ from the last collection's. */
  zerosChanged(name: string, missing: readonly string[]): boolean {
    const key = missing.join("\u0000");
    if (this.missingZeros.get(name) === key) return false;
    this.missingZeros.set(name, key);
    return true;
  }
}
