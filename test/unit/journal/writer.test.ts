import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { journalFiles } from "../../../src/journal/files.js";
import { readJournal } from "../../../src/journal/reader.js";
import { restoreJournal } from "../../../src/journal/restore.js";
import { JournalWriter } from "../../../src/journal/writer.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mde-journal-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const quiet = () => ({ warn: vi.fn(), error: vi.fn() });
const T0 = Date.parse("2026-03-01T12:00:00Z");

describe("JournalWriter", () => {
  it("never writes back what a restore reads, attached before or after it; derive listeners still see it", async () => {
    const path = join(dir, "journal.jsonl");
    const lines = [
      { ts: "2026-03-01T12:00:00.000Z", kind: "connection_success" },
      { ts: "2026-03-01T12:01:00.000Z", kind: "connection_drop", error_name: "AWS_IO_SOCKET_CLOSED", error_message: "closed", error_code: 1051 },
    ];
    const text = `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`;
    writeFileSync(path, text);
    const registry = new CollectorRegistry({ clock: new ManualClock(T0), logger: quiet() });
    const c = registry.getOrCreate("default");
    const writer = new JournalWriter({ path, logger: quiet() });
    writer.attach(registry);
    const ended: number[] = [];
    c.onEvent((e) => {
      if (e.sessionEndedSeconds !== undefined) ended.push(e.sessionEndedSeconds);
    });
    await restoreJournal(path, registry, { logger: quiet() });
    c.recordPublish();
    await writer.close();
    expect(ended).toEqual([60]);
    const after = readFileSync(path, "utf8");
    expect(after.startsWith(text)).toBe(true);
    expect(
      after
        .slice(text.length)
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { kind: string }).kind),
    ).toEqual(["publish"]);
  });

  it("rotates under load without losing a line", async () => {
    const path = join(dir, "journal.jsonl");
    const writer = new JournalWriter({ path, maxBytes: 4096, retainFiles: 1000, logger: quiet() });
    const clock = new ManualClock(T0);
    const registry = new CollectorRegistry({ clock, logger: quiet() });
    writer.attach(registry);
    const c = registry.getOrCreate("a");
    const N = 5000;
    for (let i = 0; i < N; i++) {
      clock.advance(10);
      if (i % 3 === 0) c.recordPublish(i % 2 === 0);
      else if (i % 3 === 1) c.recordConnectionDrop({ reconnectAttempt: i % 7 });
      else c.recordConnectionSuccess({ eventType: "resumed" });
      if (i % 997 === 0) await writer.flush();
    }
    await writer.close();
    const files = await journalFiles(path);
    expect(files.length).toBeGreaterThan(10);
    let events = 0;
    for await (const entry of readJournal(path, { logger: quiet() })) if (entry.type === "event") events++;
    expect(events).toBe(N);
    for (const f of files) {
      const eventBytes = readFileSync(f, "utf8")
        .split("\n")
        .filter((l) => l !== "" && !l.includes('"kind":"checkpoint"'))
        .reduce((n, l) => n + l.length + 1, 0);
      expect(eventBytes).toBeLessThanOrEqual(4096 + 256);
    }
  });

  it("keeps counters across rotation that deleted the oldest files (checkpoints)", async () => {
    const path = join(dir, "journal.jsonl");
    const writer = new JournalWriter({ path, maxBytes: 2048, retainFiles: 2, logger: quiet() });
    const clock = new ManualClock(T0);
    const live = new CollectorRegistry({ clock, logger: quiet() });
    writer.attach(live);
    const c = live.getOrCreate("default");
    c.recordConnectionSuccess();
    for (let i = 0; i < 300; i++) {
      clock.advance(1000);
      c.recordConnectionDrop({ error: { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "x" } });
      clock.advance(500);
      c.recordConnectionSuccess({ eventType: "resumed" });
    }
    await writer.close();
    expect((await journalFiles(path)).length).toBe(3);
    const restored = new CollectorRegistry({ clock, logger: quiet() });
    await restoreJournal(path, restored, { logger: quiet() });
    expect(restored.get("default")?.export()).toEqual(c.export());
  });

  it("counts write errors instead of throwing, and keeps serving", async () => {
    const blocker = join(dir, "not-a-dir");
    writeFileSync(blocker, "x");
    const logger = quiet();
    const writer = new JournalWriter({ path: join(blocker, "journal.jsonl"), logger });
    const registry = new CollectorRegistry({ logger: quiet() });
    writer.attach(registry);
    expect(() => registry.getOrCreate("default").recordConnectionDrop()).not.toThrow();
    await writer.flush();
    expect(writer.writeErrors).toBeGreaterThan(0);
    expect(logger.error).toHaveBeenCalled();
    await writer.close();
  });

  it("skips a torn last line and a corrupt line with a warning naming them, keeping the rest", async () => {
    const path = join(dir, "journal.jsonl");
    const ok = (s: number) => JSON.stringify({ ts: new Date(T0 + s * 1000).toISOString(), kind: "publish", queued: false });
    writeFileSync(
      path,
      [ok(1), "{not json", ok(2), JSON.stringify({ ts: "yesterday", kind: "publish" }), ok(3), '{"ts":"2026-03-01T12:00:09Z","kind":"conn'].join("\n"),
    );
    const logger = quiet();
    const registry = new CollectorRegistry({ logger: quiet() });
    const stats = await restoreJournal(path, registry, { logger });
    expect(stats.skipped).toBe(3);
    expect(registry.get("default")?.totals.messages_published).toBe(3);
    const warned = logger.warn.mock.calls.map((c) => String(c[1]));
    expect(warned.some((m) => m.includes(":2:"))).toBe(true);
    expect(warned.some((m) => m.includes(":6:"))).toBe(true);
  });

  it("creates the journal 0600 in a 0700 folder, and never appends through a symlink", async () => {
    const path = join(dir, "new", "journal.jsonl");
    const registry = new CollectorRegistry({ clock: new ManualClock(T0), logger: quiet() });
    const writer = new JournalWriter({ path, logger: quiet() });
    writer.attach(registry);
    registry.getOrCreate("a").recordPublish();
    await writer.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "new")).mode & 0o777).toBe(0o700);

    // A symlink planted at the journal's path: the target stays untouched, the write is an error.
    const target = join(dir, "elsewhere.txt");
    writeFileSync(target, "precious\n");
    const linked = join(dir, "linked.jsonl");
    symlinkSync(target, linked);
    const logger = quiet();
    const w2 = new JournalWriter({ path: linked, logger });
    w2.attach(registry);
    registry.getOrCreate("a").recordPublish();
    await w2.close();
    expect(readFileSync(target, "utf8")).toBe("precious\n");
    expect(w2.writeErrors).toBeGreaterThan(0);
  });
});
