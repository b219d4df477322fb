import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import type { Families } from "./serializer.js";
import { inSlices } from "./slices.js";

const gzip = promisify(gzipCallback);

/** What the cache renders: one part per connection, and a shared part that ages with the clock. */
export interface ExpositionSource {
  /** Connections in exposition order. */
  keys(): readonly string[];
  /** Changes whenever the connection records something. */
  version(key: string): number;
  /** False when the connection's rendering may differ from the one made at `version`. */
  fresh(key: string, version: number): boolean;
  render(key: string): Promise<Families>;
  /** Process-wide and clock-derived series (session uptime, build info). */
  renderShared(): Promise<Families>;
}

export interface Exposition {
  /** UTF-8 text; the cache keeps these bytes, not a second copy as a string. */
  bytes: Buffer;
  /** Compressed once per exposition, off the event loop (zlib's thread pool). */
  gzipped(): Promise<Buffer>;
}

/** A family's header and samples, encoded once when rendered. */
type EncodedFamilies = Map<string, { header: Buffer; body: Buffer }>;

function encode(families: Families): EncodedFamilies {
  const out: EncodedFamilies = new Map();
  for (const [name, f] of families) if (f.body !== "") out.set(name, { header: Buffer.from(f.header), body: Buffer.from(f.body) });
  return out;
}

/**
 * The parts merged per family (families sorted by name, each header once, samples in part
 * order) by copying bytes: re-encoding megabytes of text on every merge would cost more than
 * the rendering of a changed connection.
 */
function mergeEncoded(parts: readonly EncodedFamilies[]): Buffer {
  const names = new Set<string>();
  for (const part of parts) for (const name of part.keys()) names.add(name);
  const chunks: Buffer[] = [];
  for (const name of [...names].sort()) {
    let header = true;
    for (const part of parts) {
      const f = part.get(name);
      if (f === undefined) continue;
      if (header) chunks.push(f.header);
      header = false;
      chunks.push(f.body);
    }
  }
  return Buffer.concat(chunks);
}

/**
 * Serves the last exposition while nothing it depends on has changed, and on a change renders
 * only what changed: each connection's families are kept until that connection records
 * something, the shared part is renewed when older than `maxAgeMs` (the clock-derived gauges
 * age by at most that much), and the parts are merged per family. Concurrent requests for a
 * stale exposition share one rendering.
 */
export class ExpositionCache {
  private readonly parts = new Map<string, { version: number; families: EncodedFamilies }>();
  private shared: EncodedFamilies = new Map();
  private sharedAt = -Infinity;
  private current: Exposition | undefined;
  private pending: Promise<Exposition> | undefined;
  /** Connections rendered since start (for tests and benchmarks: cost follows what changed). */
  renders = 0;

  constructor(
    private readonly source: ExpositionSource,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<Exposition> {
    if (this.pending !== undefined) return this.pending;
    if (this.current !== undefined && !this.stale()) return Promise.resolve(this.current);
    this.pending = this.rebuild().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private stale(): boolean {
    if (this.now() - this.sharedAt >= this.maxAgeMs) return true;
    const keys = this.source.keys();
    if (keys.length !== this.parts.size) return true;
    for (const key of keys) {
      const part = this.parts.get(key);
      if (part === undefined || !this.source.fresh(key, part.version)) return true;
    }
    return false;
  }

  private async rebuild(): Promise<Exposition> {
    const keys = this.source.keys();
    // A cache miss renders in slices (see slices.ts): other requests are served meanwhile.
    await inSlices(keys, async (key) => {
      const part = this.parts.get(key);
      if (part !== undefined && this.source.fresh(key, part.version)) return;
      // Read before rendering: an event recorded meanwhile makes the next scrape render again.
      const version = this.source.version(key);
      this.parts.set(key, { version, families: encode(await this.source.render(key)) });
      this.renders++;
    });
    if (this.parts.size !== keys.length) {
      const live = new Set(keys);
      for (const key of this.parts.keys()) if (!live.has(key)) this.parts.delete(key);
    }
    const started = this.now();
    this.shared = encode(await this.source.renderShared());
    this.sharedAt = started;
    const bytes = mergeEncoded([this.shared, ...keys.map((k) => this.parts.get(k)?.families ?? new Map())]);
    let compressed: Promise<Buffer> | undefined;
    this.current = { bytes, gzipped: () => (compressed ??= gzip(bytes)) };
    return this.current;
  }
}
