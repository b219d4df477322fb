import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { inShape } from "../../src/collector/normalize.js";
import { parseJournalLine } from "../../src/journal/parse.js";
import type { JournalEntry } from "../../src/journal/events.js";
import { readJournal, type ReadStats } from "../../src/journal/reader.js";

const dir = mkdtempSync(join(tmpdir(), "mde-reader-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const quiet = { warn: () => undefined, error: () => undefined };

/** What reading must give, line by line the slow and obvious way: trim, JSON.parse, check. */
export function expectedOf(text: string): { events: { event: unknown; keys: string[]; at: number }[]; lines: number; skipped: number } {
  const events: { event: unknown; keys: string[]; at: number }[] = [];
  let lines = 0;
  let skipped = 0;
  const all = text.split("\n");
  if (all[all.length - 1] === "") all.pop();
  for (const raw of all) {
    const line = raw.trim();
    if (line === "") continue;
    lines++;
    const r = parseJournalLine(line);
    if (r.ok) events.push({ event: r.event, keys: Object.keys(r.event), at: Date.parse(r.event.ts) });
    else skipped++;
  }
  return { events, lines, skipped };
}

export async function readText(text: string): Promise<{ entries: JournalEntry[]; stats: ReadStats }> {
  const path = join(dir, `journal-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(path, text);
  const stats: ReadStats = { files: [], lines: 0, skipped: 0 };
  const entries: JournalEntry[] = [];
  for await (const entry of readJournal(path, { logger: quiet, stats })) entries.push(entry);
  rmSync(path);
  return { entries, stats };
}

export async function expectSameAsParsing(text: string): Promise<void> {
  const { entries, stats } = await readText(text);
  const expected = expectedOf(text);
  expect(stats.lines).toBe(expected.lines);
  expect(stats.skipped).toBe(expected.skipped);
  const events = entries.map((e) => (e.type === "event" ? { event: e.event, keys: Object.keys(e.event), at: e.at } : e));
  expect(events).toEqual(expected.events);
  // An entry said to be in shape skips the collector's repair: it must never be said wrongly.
  for (const e of entries) if (e.type === "event" && e.inShape) expect(inShape(e.event)).toBe(true);
}
