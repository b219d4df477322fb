import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { JournalWriter } from "../../../src/journal/writer.js";
import { replayJournal } from "../../../src/replay/replay.js";
import { SmallDisk } from "../../helpers/tmpfs.js";

const quiet = () => ({ warn: vi.fn(), error: vi.fn(), info: vi.fn(), debug: vi.fn() });
const T0 = Date.parse("2026-03-01T12:00:00Z");
const DROP = { error: { error_name: "AWS_IO_SOCKET_CLOSED", error_code: 1051, message: "socket is closed." } };

let disk: SmallDisk;
beforeEach(() => {
  disk = SmallDisk.mount(512);
});
afterEach(() => disk.unmount());

function record(path: string, cycles: number, options: { maxPendingBytes?: number } = {}) {
  const writer = new JournalWriter({ path, logger: quiet(), flushIntervalMs: 3_600_000, ...options });
  const clock = new ManualClock(T0);
  const registry = new CollectorRegistry({ clock, logger: quiet() });
  writer.attach(registry);
  const c = registry.getOrCreate("default");
  const some = (n: number) => {
    for (let i = 0; i < n; i++) {
      clock.advance(1000);
      c.recordConnectionSuccess();
      clock.advance(1000);
      c.recordConnectionDrop(DROP);
    }
  };
  some(cycles);
  return { writer, some };
}

/** The journal's lines, each checked whole: a file ending in a newline, every line JSON. */
function lines(path: string): { kind: string; ts: string }[] {
  const text = readFileSync(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((l) => JSON.parse(l) as { kind: string; ts: string });
}

describe("a journal on a disk that fills up", () => {
  it("writes each event exactly once, with no torn line, once space is freed; replay counts what was recorded", async () => {
    const path = join(disk.dir, "journal.jsonl");
    disk.fill(32 * 1024);
    const { writer, some } = record(path, 800);
    await writer.flush();
    expect(writer.writeErrors).toBeGreaterThan(0);
    await writer.flush(); // A retry while still full: nothing written twice either.
    disk.free();
    some(10);
    await writer.close();

    const all = lines(path);
    const drops = all.filter((l) => l.kind === "connection_drop");
    expect(drops).toHaveLength(810);
    expect(new Set(all.map((l) => l.ts)).size).toBe(all.length);
    expect(all).toHaveLength(1620);
    expect(writer.droppedLines).toBe(0);
    const replayed = await replayJournal({ journal: path, logger: quiet() });
    expect(replayed.stats.skipped).toBe(0);
    expect(replayed.collector?.totals.total_connection_drops).toBe(810);
    expect(replayed.collector?.totals.total_connections).toBe(810);
  });

  it("counts the lines it gives up (beyond the retry bound) and writes every other one once", async () => {
    const path = join(disk.dir, "journal.jsonl");
    disk.fill(8 * 1024);
    const { writer } = record(path, 200, { maxPendingBytes: 16 * 1024 });
    await writer.flush();
    await writer.flush();
    expect(writer.writeErrors).toBeGreaterThan(0);
    expect(writer.droppedLines).toBeGreaterThan(0);
    disk.free();
    await writer.close();
    const all = lines(path);
    expect(new Set(all.map((l) => l.ts)).size).toBe(all.length);
    expect(all.length + writer.droppedLines).toBe(400);
    expect(writer.linesWritten).toBe(all.length);
  });
});
