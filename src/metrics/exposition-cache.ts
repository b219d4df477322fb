import { promisify } from "node:util";
import { constants, gzip as gzipCallback, type ZlibOptions } from "node:zlib";
import { EncodedPart, encodePart, mergeEncoded } from "./encoded-parts.js";
import { LayoutPool, type PartText } from "./layouts.js";
import type { Families } from "./prometheus-text.js";
import { inSlices } from "./slices.js";

const gzip = promisify<Buffer, ZlibOptions, Buffer>(gzipCallback);

/** Above this size an exposition compresses at zlib's fastest level, below it at the default. */
export const FAST_GZIP_ABOVE_BYTES = 256 * 1024;

/**
 * How an exposition of `bytes` is compressed. Every exposition a gzip scrape gets is compressed
 * once: after each change (with events, up to every scrape) and when the clock-derived series
 * are renewed. Large ones at zlib's fastest level: at 100 connections (527 KB) the default level
 * takes 3.4x the CPU (2.7 vs 0.8 ms), at 1,000 (5.3 MB) 25 vs 7 ms, for 13% fewer bytes. Small
 * ones at the default level, as prom-client's users get: 0.4 vs 0.2 ms at 10 connections (55 KB)
 * for 14% fewer bytes (3.6 vs 4.2 KB), and on loopback a body that size is served faster by
 * more than its bytes (docs/benchmarks.md, "A cached scrape's cost").
 */
export function gzipOptions(bytes: number): ZlibOptions {
  return { level: bytes > FAST_GZIP_ABOVE_BYTES ? constants.Z_BEST_SPEED : constants.Z_DEFAULT_COMPRESSION };
}

/** What the cache renders: one part per connection, and a shared part that ages with the clock. */
export interface ExpositionSource {
  /** Connections in exposition order. */
  keys(): readonly string[];
  /** Changes whenever the connection records something. */
  version(key: string): number;
  /** False when the connection's rendering may differ from the one made at `version`. */
  fresh(key: string, version: number): boolean;
  /** The connection's families, or its text by layout (a renderer's own layout, the same object for every connection). */
  render(key: string): Promise<Families | PartText>;
  /** Process-wide and clock-derived series (session uptime, build info). */
  renderShared(): Promise<Families>;
}

export interface Exposition {
  /** UTF-8 text; the cache keeps these bytes, not a second copy as a string. */
  bytes: Buffer;
  /** Compressed once per exposition, off the event loop (zlib's thread pool). */
  gzipped(): Promise<Buffer>;
  /** The compressed bytes once `gzipped()` has made them, so that a request can be answered without waiting. */
  gzippedNow(): Buffer | undefined;
}

/** Fewer changed connections than this render in milliseconds: a scrape waits for them. */
export const SERVE_STALE_MIN_CHANGED = 50;

/**
 * Serves the last exposition while nothing it depends on has changed, and on a change renders
 * only what changed: each connection's families are kept until that connection records
 * something, the shared part is renewed when older than `maxAgeMs` (the clock-derived gauges
 * age by at most that much), and the parts are merged per family. Concurrent requests for a
 * stale exposition share one rendering. With `serveStaleMs` above 0, when at least
 * `serveStaleMinChanged` connections changed (a reconnect storm: every connection changes
 * between two scrapes) and the last exposition's rendering started less than `serveStaleMs` ago,
 * a request is answered with it at once and, once it is half that old, a newer one is rendered
 * in the background (requests meanwhile get the last one too): at most two renderings per
 * `serveStaleMs` during a storm, and scrapes do not queue behind renderings while renderings take
 * less than `serveStaleMs`. What a scrape shows is never older than that (counted from the start
 * of its rendering), so a scrape taken that long after a storm settled never shows a live
 * connection down; fewer changes are rendered before the answer, as without `serveStaleMs`.
 */
export class ExpositionCache {
  /** Each connection's part, rewritten in place when the connection is rendered again. */
  private readonly parts = new Map<string, { version: number; encoded: EncodedPart }>();
  private readonly layouts = new LayoutPool();
  private shared: EncodedPart | undefined;
  private sharedAt = -Infinity;
  private current: Exposition | undefined;
  /** When the rendering of `current` started: what it shows is as of then, or newer. */
  private currentAt = -Infinity;
  private pending: Promise<Exposition> | undefined;
  /** The pending rendering runs while requests are answered with `current`. */
  private inBackground = false;
  /** What the last ready() that counted changes found: enough of them for a storm (see serveStaleMs). */
  private storm = false;
  /** Connections rendered since start (for tests and benchmarks: cost follows what changed). */
  renders = 0;

  constructor(
    private readonly source: ExpositionSource,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
    private readonly serveStaleMs = 0,
    private readonly serveStaleMinChanged = SERVE_STALE_MIN_CHANGED,
  ) {}

  /**
   * The exposition `get()` would answer with at once, without rendering or waiting for a
   * rendering; undefined when it would. Every scrape asks: a cache hit is answered in the
   * request's own tick, with no promise in between.
   */
  ready(): Exposition | undefined {
    const current = this.current;
    if (current === undefined || this.pending !== undefined) {
      return current !== undefined && this.now() - this.currentAt < this.serveStaleMs && this.inBackground ? current : undefined;
    }
    const age = this.now() - this.currentAt;
    const young = age < this.serveStaleMs;
    // Counted only as far as the answer needs: any change at all, or a storm's worth of them.
    const changed = this.changed(young ? this.serveStaleMinChanged : 1);
    this.storm = young && changed >= this.serveStaleMinChanged;
    // In the first half of the window the last exposition is served as is: scrapes that come
    // faster than renderings (several scrapers, a storm) would otherwise start them back to back.
    return changed === 0 || (this.storm && age < this.serveStaleMs / 2) ? current : undefined;
  }

  get(): Promise<Exposition> {
    const ready = this.ready();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.pending !== undefined) return this.pending;
    const current = this.current;
    // What ready() found: a storm's worth of changes while the last exposition is young.
    const storm = current !== undefined && this.storm;
    const started = this.now();
    this.inBackground = storm;
    this.pending = this.rebuild()
      .then((e) => {
        this.currentAt = started;
        return e;
      })
      .finally(() => {
        this.pending = undefined;
      });
    if (!this.inBackground || current === undefined) return this.pending;
    // A failure is the next waiting request's to report.
    this.pending.catch(() => undefined);
    return Promise.resolve(current);
  }

  /**
   * How many connections changed since they were rendered (at least 1 when the shared part is
   * old), counting no further than `enough`: every scrape asks, and at 1,000 connections reading
   * every one's version each time was a tenth of what a storm's scrapes cost.
   */
  private changed(enough = Infinity): number {
    const keys = this.source.keys();
    let n = this.now() - this.sharedAt >= this.maxAgeMs || keys.length !== this.parts.size ? 1 : 0;
    for (const key of keys) {
      if (n >= enough) break;
      const part = this.parts.get(key);
      if (part === undefined || !this.source.fresh(key, part.version)) n++;
    }
    return n;
  }

  private async rebuild(): Promise<Exposition> {
    const keys = this.source.keys();
    // A cache miss renders in slices (see slices.ts): other requests are served meanwhile.
    await inSlices(keys, async (key) => {
      const part = this.parts.get(key);
      if (part !== undefined && this.source.fresh(key, part.version)) return;
      // Read before rendering: an event recorded meanwhile makes the next scrape render again.
      const version = this.source.version(key);
      const encoded = encodePart(this.text(await this.source.render(key)), this.layouts, part?.encoded);
      if (part === undefined) this.parts.set(key, { version, encoded });
      else part.version = version;
      this.renders++;
    });
    if (this.parts.size !== keys.length) {
      const live = new Set(keys);
      for (const key of this.parts.keys()) if (!live.has(key)) this.parts.delete(key);
    }
    const started = this.now();
    const shared = (this.shared = encodePart(this.text(await this.source.renderShared()), this.layouts, this.shared));
    this.sharedAt = started;
    const bytes = await mergeEncoded([
      shared,
      ...keys.flatMap((k) => {
        const part = this.parts.get(k);
        return part ? [part.encoded] : [];
      }),
    ]);
    let compressed: Promise<Buffer> | undefined;
    let done: Buffer | undefined;
    this.current = {
      bytes,
      gzipped: () =>
        (compressed ??= gzip(bytes, gzipOptions(bytes.length)).then((z) => {
          done = z;
          return z;
        })),
      gzippedNow: () => done,
    };
    return this.current;
  }

  private text(rendered: Families | PartText): PartText {
    return rendered instanceof Map ? this.layouts.fromFamilies(rendered) : rendered;
  }
}
