import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { journalFiles } from "../../../src/journal/files.js";
import { readJournal } from "../../../src/journal/reader.js";
import { restoreJournal } from "../../../src/journal/restore.js";
import { JournalWriter } from "../../../src/journal/writer.js";
import { pollUntil } from "../../helpers/poll.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mde-writer-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const quiet = () => ({ warn: vi.fn(), error: vi.fn() });
const T0 = Date.parse("2026-03-01T12:00:00Z");

async function eventLines(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of readJournal(path, { logger: quiet() })) if (entry.type === "event") out.push(entry.event.ts);
  return out;
}

function setup(path: string, options: { maxBytes?: number; retainFiles?: number; flushIntervalMs?: number; maxPendingBytes?: number } = {}) {
  const logger = quiet();
  const writer = new JournalWriter({ path, logger, ...options });
  const clock = new ManualClock(T0);
  const registry = new CollectorRegistry({ clock, logger: quiet() });
  const detach = writer.attach(registry);
  return { writer, clock, registry, logger, detach };
}

describe("JournalWriter under failures", () => {
  it("writes no line twice when a rotation fails, and rotates once it can", async () => {
    const path = join(dir, "journal.jsonl");
    // A directory where the oldest rotated file goes: `rm` of it fails, appends still work.
    mkdirSync(`${path}.1`);
    writeFileSync(join(`${path}.1`, "keep"), "x");
    const { writer, clock, registry } = setup(path, { maxBytes: 1024, retainFiles: 1 });
    const c = registry.getOrCreate("default");
    for (let i = 0; i < 100; i++) {
      clock.advance(1000);
      c.recordPublish();
      if (i % 10 === 0) await writer.flush();
    }
    await writer.flush();
    expect(writer.writeErrors).toBeGreaterThan(0);
    const active = readFileSync(path, "utf8").trim().split("\n");
    expect(active).toHaveLength(100);
    expect(new Set(active).size).toBe(100);

    rmSync(`${path}.1`, { recursive: true });
    for (let i = 0; i < 20; i++) {
      clock.advance(1000);
      c.recordPublish();
    }
    await writer.close();
    const ts = await eventLines(path);
    expect(new Set(ts).size).toBe(ts.length);
    // Rotation is working again: the oldest lines are gone, the newest are all there.
    expect((await journalFiles(path)).length).toBe(2);
    expect(ts.at(-1)).toBe(new Date(T0 + 120_000).toISOString());
  });

  it("counts errors for a journal under /proc, drops lines beyond the retry bound, never throws", async () => {
    const { writer, registry, logger } = setup("/proc/mde-no-such-dir/journal.jsonl", { maxPendingBytes: 2048 });
    const c = registry.getOrCreate("default");
    expect(() => {
      for (let i = 0; i < 100; i++) c.recordConnectionDrop({ error: new Error("x".repeat(40)) });
    }).not.toThrow();
    await writer.flush();
    await writer.flush();
    expect(writer.writeErrors).toBeGreaterThanOrEqual(2);
    expect(writer.droppedLines).toBeGreaterThan(0);
    expect(writer.pendingBytes).toBeLessThanOrEqual(2048);
    expect(logger.error).toHaveBeenCalled();
    await expect(writer.close()).resolves.toBeUndefined();
  });

  it("keeps lines through a write failure and writes them, once, when the disk is back", async () => {
    const parent = join(dir, "data");
    writeFileSync(parent, "a regular file where the journal's folder should be");
    const path = join(parent, "journal.jsonl");
    const { writer, clock, registry } = setup(path);
    const c = registry.getOrCreate("default");
    c.recordConnectionSuccess();
    clock.advance(5000);
    c.recordConnectionDrop({ error: { error_name: "AWS_IO_SOCKET_CLOSED", error_code: 1051, message: "socket is closed." } });
    await writer.flush();
    expect(writer.writeErrors).toBe(1);
    rmSync(parent);
    clock.advance(1000);
    c.recordConnectionSuccess({ eventType: "resumed" });
    await writer.close();
    expect(writer.linesWritten).toBe(3);
    const restored = new CollectorRegistry({ clock, logger: quiet() });
    const stats = await restoreJournal(path, restored, { logger: quiet() });
    expect(stats.skipped).toBe(0);
    expect(restored.get("default")?.export()).toEqual(c.export());
  });

  it("flushes on its own, without close", async () => {
    const path = join(dir, "journal.jsonl");
    const { writer, registry } = setup(path, { flushIntervalMs: 20 });
    registry.getOrCreate("default").recordPublish(true);
    await pollUntil(() => (existsSync(path) && readFileSync(path, "utf8").includes('"queued":true') ? true : undefined), "the timer's flush", 10_000, 10);
    await writer.close();
  });

  it("journals collectors created after attach, and stops on detach", async () => {
    const path = join(dir, "journal.jsonl");
    const { writer, registry, detach } = setup(path);
    registry.getOrCreate("a").recordPublish();
    registry.getOrCreate("b").recordPublish();
    detach();
    registry.getOrCreate("a").recordPublish();
    registry.getOrCreate("c").recordPublish();
    await writer.close();
    const names: string[] = [];
    for await (const e of readJournal(path, { logger: quiet() })) if (e.type === "event") names.push(e.event.connection ?? "default");
    expect(names).toEqual(["a", "b"]);
  });

  it("restoring before attaching journals nothing again; close is final", async () => {
    const path = join(dir, "journal.jsonl");
    const first = setup(path);
    for (let i = 0; i < 10; i++) first.registry.getOrCreate(i % 2 ? "x" : "default").recordPublish();
    await first.writer.close();
    const before = readFileSync(path, "utf8");

    const registry = new CollectorRegistry({ logger: quiet() });
    await restoreJournal(path, registry, { logger: quiet() });
    const writer = new JournalWriter({ path, logger: quiet() });
    writer.attach(registry);
    await writer.close();
    expect(readFileSync(path, "utf8")).toBe(before);
    registry.getOrCreate("x").recordPublish();
    await writer.flush();
    expect(readFileSync(path, "utf8")).toBe(before);
  });
});
