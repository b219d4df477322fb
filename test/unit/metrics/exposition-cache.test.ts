import { constants, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ExpositionCache, FAST_GZIP_ABOVE_BYTES, gzipOptions, type ExpositionSource } from "../../../src/metrics/exposition-cache.js";
import { partText } from "../../../src/metrics/layouts.js";
import type { Families } from "../../../src/metrics/prometheus-text.js";

/** Two families per connection, one shared family; counts what was rendered. */
function fakeSource(keys: string[]) {
  const versions = new Map(keys.map((k) => [k, 0]));
  const rendered: string[] = [];
  let sharedRenders = 0;
  const family = (name: string, line: string) => [name, { header: `# HELP ${name} h\n# TYPE ${name} gauge\n`, body: `${line}\n` }] as const;
  const source: ExpositionSource = {
    keys: () => keys,
    version: (k) => versions.get(k) ?? -1,
    fresh: (k, v) => versions.get(k) === v,
    render(k) {
      rendered.push(k);
      const v = versions.get(k) ?? 0;
      return Promise.resolve(new Map([family("b", `b{connection="${k}"} ${v}`), family("a", `a{connection="${k}"} ${v}`)]) as Families);
    },
    renderShared() {
      sharedRenders++;
      return Promise.resolve(new Map([family("c", `c ${sharedRenders}`)]) as Families);
    },
  };
  return { source, versions, rendered, sharedRenders: () => sharedRenders };
}

describe("ExpositionCache", () => {
  it("renders only the connections that changed, and merges each family under one header", async () => {
    const f = fakeSource(["x", "y", "z"]);
    const cache = new ExpositionCache(f.source, 1000, () => 0);
    const first = (await cache.get()).bytes.toString();
    expect(first).toBe(
      '# HELP a h\n# TYPE a gauge\na{connection="x"} 0\na{connection="y"} 0\na{connection="z"} 0\n' +
        '# HELP b h\n# TYPE b gauge\nb{connection="x"} 0\nb{connection="y"} 0\nb{connection="z"} 0\n' +
        "# HELP c h\n# TYPE c gauge\nc 1\n",
    );
    f.versions.set("y", 1);
    const second = (await cache.get()).bytes.toString();
    expect(f.rendered).toEqual(["x", "y", "z", "y"]);
    expect(second).toContain('a{connection="y"} 1\n');
    expect(f.sharedRenders()).toBe(2);
  });

  it("serves the same bytes while nothing changed, and renews the shared part after maxAge", async () => {
    const f = fakeSource(["x"]);
    let now = 0;
    const cache = new ExpositionCache(f.source, 1000, () => now);
    const a = await cache.get();
    now = 999;
    expect(await cache.get()).toBe(a);
    now = 1000;
    const b = await cache.get();
    expect(b).not.toBe(a);
    expect(f.rendered).toEqual(["x"]);
    expect(f.sharedRenders()).toBe(2);
  });

  it("shares one rendering between concurrent requests and gzips what it serves", async () => {
    const f = fakeSource(["x", "y"]);
    const cache = new ExpositionCache(f.source, 1000, () => 0);
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(a).toBe(b);
    expect(f.rendered).toEqual(["x", "y"]);
    expect(gunzipSync(await a.gzipped()).equals(a.bytes)).toBe(true);
  });

  it("compresses at zlib's default level up to 256 KiB and at its fastest above", () => {
    expect(gzipOptions(55_000).level).toBe(constants.Z_DEFAULT_COMPRESSION);
    expect(gzipOptions(FAST_GZIP_ABOVE_BYTES).level).toBe(constants.Z_DEFAULT_COMPRESSION);
    expect(gzipOptions(FAST_GZIP_ABOVE_BYTES + 1).level).toBe(constants.Z_BEST_SPEED);
  });

  // issue 24: a cached scrape went through three promises before its bytes were sent.
  it("says at once what it would answer without rendering, and the gzip once it is made", async () => {
    const f = fakeSource(["x"]);
    let now = 0;
    const cache = new ExpositionCache(f.source, 1000, () => now);
    expect(cache.ready()).toBeUndefined();
    const a = await cache.get();
    expect(cache.ready()).toBe(a);
    expect(a.gzippedNow()).toBeUndefined();
    const zipped = await a.gzipped();
    expect(a.gzippedNow()).toBe(zipped);
    f.versions.set("x", 1);
    expect(cache.ready()).toBeUndefined();
    const b = await cache.get();
    expect(cache.ready()).toBe(b);
    now = 1000;
    expect(cache.ready()).toBeUndefined();
    expect(f.rendered).toEqual(["x", "x"]);
  });

  // issue 24: parts are rewritten in place by a renderer's own layout; what a scrape shows is
  // byte for byte what the same families merged as text show, as a connection's text grows and shrinks.
  it("serves from a renderer's layout the same bytes as from its families, a part's text growing and shrinking", async () => {
    const layout = { names: ["b", "a"], headers: ["# HELP b h\n# TYPE b gauge\n", "# HELP a h\n# TYPE a gauge\n"] };
    const [f, g] = [fakeSource(["x", "y"]), fakeSource(["x", "y"])];
    const bodies = (k: string) => {
      const v = f.versions.get(k) ?? 0;
      // Long, short, empty, multi-byte: each rendering of a connection differs in length from the last.
      const label = ["long".repeat(40), "s", "", "\u00e9\u{1F600}".repeat(30)][v % 4] as string;
      return [label === "" ? "" : `b{connection="${k}",l="${label}"} ${v}\n`, `a{connection="${k}"} ${v}\n`] as const;
    };
    const byLayout = new ExpositionCache({ ...f.source, render: (k) => Promise.resolve(partText(layout, bodies(k))) }, 1000, () => 0);
    const familiesOf = (k: string): Families => {
      const [b, a] = bodies(k);
      return new Map([
        ["b", { header: layout.headers[0] as string, body: b }],
        ["a", { header: layout.headers[1] as string, body: a }],
      ]);
    };
    const byFamilies = new ExpositionCache({ ...g.source, render: (k) => Promise.resolve(familiesOf(k)) }, 1000, () => 0);
    for (let v = 0; v < 8; v++) {
      for (const s of [f, g]) {
        s.versions.set("x", v);
        s.versions.set("y", v % 3);
      }
      const one = (await byLayout.get()).bytes.toString();
      expect(one).toBe((await byFamilies.get()).bytes.toString());
      expect(one).toContain(`a{connection="x"} ${v}\n`);
    }
  });

  it("forgets a connection that is gone", async () => {
    const keys = ["x", "y"];
    const f = fakeSource(keys);
    const cache = new ExpositionCache(f.source, 0, () => 0);
    await cache.get();
    keys.pop();
    expect((await cache.get()).bytes.toString()).not.toContain('"y"');
  });
});

// issue 21: during a reconnect storm every connection changes between two scrapes, and each
// scrape waited for a whole rendering behind the previous one.
describe("ExpositionCache with serveStaleMs", () => {
  /** A source whose renderings wait until released, so the test sees what happens meanwhile. */
  function gatedSource(keys: string[]) {
    const f = fakeSource(keys);
    let gate: Promise<void> = Promise.resolve();
    let open = () => undefined as void;
    const render = f.source.render.bind(f.source);
    const source: ExpositionSource = {
      ...f.source,
      render: async (k) => {
        await gate;
        return render(k);
      },
    };
    const close = () => {
      gate = new Promise<void>((r) => (open = r));
    };
    return { ...f, source, close, release: () => open() };
  }

  it("answers at once with the last exposition while a newer one renders, then serves the newer one", async () => {
    const g = gatedSource(["x", "y"]);
    let now = 0;
    const cache = new ExpositionCache(g.source, 1000, () => now, 1000, 1);
    const first = await cache.get();
    g.versions.set("x", 1);
    g.close();
    now = 10;
    const during = cache.get();
    // Answered while the rendering of x still waits (before the fix it waited for it).
    expect(await Promise.race([during.then(() => "answered"), turns(50).then(() => "still waiting")])).toBe("answered");
    expect(await during).toBe(first);
    // So are requests while that rendering runs, while the last exposition is younger than
    // serveStaleMs; after that they wait for the newer one (no scrape shows older figures).
    now = 999;
    expect(await Promise.race([cache.get(), turns(50).then(() => "still waiting")])).toBe(first);
    now = 1000;
    expect(await Promise.race([cache.get(), turns(50).then(() => "still waiting")])).toBe("still waiting");
    expect(g.rendered).toEqual(["x", "y"]);
    g.release();
    // The rendering started by that scrape is the one the next scrapes get once it is done.
    const newer = await pollNewer(cache, first);
    expect(newer.bytes.toString()).toContain('a{connection="x"} 1\n');
    expect(g.rendered).toEqual(["x", "y", "x"]);
  });

  // issue 21: scrapes every 50 ms through a reconnect storm started renderings back to back
  // (each one all of the connections), and their garbage held the event loop.
  it("during a storm, renders again only once the last exposition is half serveStaleMs old", async () => {
    const g = gatedSource(["x", "y"]);
    let now = 0;
    const cache = new ExpositionCache(g.source, 5000, () => now, 1000, 2);
    const first = await cache.get();
    g.versions.set("x", 1);
    g.versions.set("y", 1);
    for (now = 50; now < 500; now += 50) expect(await cache.get()).toBe(first);
    expect(cache.renders).toBe(2);
    now = 500;
    expect(await cache.get()).toBe(first);
    const newer = await pollNewer(cache, first);
    expect(newer.bytes.toString()).toContain('a{connection="y"} 1\n');
    expect(cache.renders).toBe(4);
  });

  it("asks each connection whether it changed only as far as the answer needs", async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
    const f = fakeSource(keys);
    let asked = 0;
    const source: ExpositionSource = { ...f.source, fresh: (k, v) => (asked++, f.source.fresh(k, v)) };
    let now = 0;
    const cache = new ExpositionCache(source, 60_000, () => now, 1000, 10);
    const first = await cache.get();
    for (const k of keys) f.versions.set(k, 1);
    // A storm's worth (10) of changes is enough to serve the last exposition: not all 100 asked.
    asked = 0;
    now = 100;
    expect(await cache.get()).toBe(first);
    expect(asked).toBe(10);
    // Past serveStaleMs one change is enough to know that it renders again before answering.
    now = 5000;
    asked = 0;
    const e = await cache.get();
    expect(e.bytes.toString()).toContain('a{connection="k99"} 1\n');
    // One to know, then one per connection while rendering.
    expect(asked).toBe(1 + keys.length);
  });

  it("waits for the rendering once the last exposition is older than serveStaleMs", async () => {
    const g = gatedSource(["x"]);
    let now = 0;
    const cache = new ExpositionCache(g.source, 5000, () => now, 1000, 1);
    const first = await cache.get();
    g.versions.set("x", 1);
    now = 1000;
    const e = await cache.get();
    expect(e).not.toBe(first);
    expect(e.bytes.toString()).toContain('a{connection="x"} 1\n');
  });

  it("renders before answering when fewer than serveStaleMinChanged connections changed", async () => {
    const g = gatedSource(["x", "y", "z"]);
    const cache = new ExpositionCache(g.source, 1000, () => 0, 1000, 2);
    await cache.get();
    g.versions.set("x", 1);
    expect((await cache.get()).bytes.toString()).toContain('a{connection="x"} 1\n');
    g.versions.set("y", 1);
    g.versions.set("z", 1);
    // Two changed: the last one at once, the newer one in the background.
    expect((await cache.get()).bytes.toString()).toContain('a{connection="y"} 0\n');
  });

  it("serves nothing stale without serveStaleMs: a scrape after a change shows it", async () => {
    const g = gatedSource(["x"]);
    const cache = new ExpositionCache(g.source, 1000, () => 0);
    await cache.get();
    g.versions.set("x", 1);
    expect((await cache.get()).bytes.toString()).toContain('a{connection="x"} 1\n');
  });
});

/** `n` turns of the event loop. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** The cache's exposition once it differs from `old` (a background rendering finished). */
async function pollNewer(cache: ExpositionCache, old: Awaited<ReturnType<ExpositionCache["get"]>>) {
  for (let i = 0; i < 1000; i++) {
    const e = await cache.get();
    if (e !== old) return e;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error("no newer exposition after 1000 turns of the event loop");
}
