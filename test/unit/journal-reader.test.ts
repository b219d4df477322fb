import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseJournalLine } from "../../src/journal/parse.js";
import { type JournalEntry, readJournal, type ReadStats } from "../../src/journal/reader.js";

const dir = mkdtempSync(join(tmpdir(), "mde-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { warn: () => undefined, error: () => undefined };

/** What reading must give, line by line the slow and obvious way: trim, JSON.parse, check. */
function expectedOf(text: string): { events: { event: unknown; keys: string[]; at: number }[]; lines: number; skipped: number } {
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

async function read(text: string): Promise<{ entries: JournalEntry[]; stats: ReadStats }> {
  const path = join(dir, `journal-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(path, text);
  const stats: ReadStats = { files: [], lines: 0, skipped: 0 };
  const entries: JournalEntry[] = [];
  for await (const entry of readJournal(path, { logger: quiet, stats })) entries.push(entry);
  rmSync(path);
  return { entries, stats };
}

async function expectSameAsParsing(text: string): Promise<void> {
  const { entries, stats } = await read(text);
  const expected = expectedOf(text);
  expect(stats.lines).toBe(expected.lines);
  expect(stats.skipped).toBe(expected.skipped);
  const events = entries.map((e) => (e.type === "event" ? { event: e.event, keys: Object.keys(e.event), at: e.at } : e));
  expect(events).toEqual(expected.events);
}

// Line ends (after `"ts":"…",`) that repeat, and the ways a line can differ from the writer's.
const rests = [
  '"kind":"publish","queued":false}',
  '"kind":"publish","queued":true}',
  '"kind":"publish"}',
  '"kind":"connection_drop","error_name":"AWS_IO_SOCKET_CONNECTION_REFUSED","error_message":"socket connection refused.","error_code":1047,"reconnect_attempt":3,"active_subscriptions":0,"queued_commands":0}',
  '"kind":"connection_drop","error_name":"AWS_IO_SOCKET_CONNECTION_REFUSED","error_message":"socket connection refused.","error_code":1047,"reconnect_attempt":4,"active_subscriptions":0,"queued_commands":0}',
  '"kind":"connection_drop","connection":"dev-2","error_name":"X","error_message":"caf\u00e9 \u2013 \ud83d\ude00","error_code":1,"reconnect_attempt":0,"active_subscriptions":0,"queued_commands":0}',
  '"kind":"connection_success","event_type":"resumed","session_present":true,"return_code":0,"attempt_number":4,"keep_alive_seconds":300}',
  '"kind":"connection_success","connection":"dev-2"}',
  // A second `ts`: JSON.parse keeps the last one, so this rest means a different time each line.
  '"kind":"publish","ts":"2026-03-01T12:00:00.000Z"}',
  '"kind":"publish","t\\u0073":"2026-03-01T13:00:00.000Z"}',
  '"kind":"publish","ts":"yesterday"}',
  '"kind":"publish","queued":"yes"}',
  '"kind":"future_kind","x":1}',
  '"kind":"connection_drop","error_message":"peer said \\"kind\\":\\"checkpoint\\""}',
  '"kind":"publish","queued":false}   ',
  '"kind":"publish","queued":false',
  '"kind":"probe","rtt_seconds":0.042}',
];
const instant = fc.integer({ min: Date.parse("2026-02-27T00:00:00.000Z"), max: Date.parse("2026-03-02T00:00:00.000Z") });
const ts = fc.oneof(
  { weight: 8, arbitrary: instant.map((ms) => new Date(ms).toISOString()) },
  // The `ts` that rests with a second `ts` key carry: remembering such a line would be wrong.
  { weight: 3, arbitrary: fc.constantFrom("2026-03-01T12:00:00.000Z", "2026-03-01T13:00:00.000Z") },
  fc.constantFrom("2026-02-30T10:00:00.000Z", "2026-03-01T24:00:00.000Z", "2026-03-01T12:00:00Z", "2026-03-01T12:00:00.000+00:00", "2026-03-01T25:00:00.000Z", "2026-13-01T00:00:00.000Z"),
);
const line = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(ts, fc.constantFrom(...rests)).map(([t, rest]) => `{"ts":"${t}",${rest}`) },
  fc.tuple(ts, fc.constantFrom(...rests), fc.constantFrom(" ", "\t", "\r", "  ")).map(([t, rest, ws]) => `${ws}{"ts":"${t}",${rest}${ws}`),
  ts.map((t) => `{"kind":"publish","ts":"${t}"}`),
  fc.tuple(ts, fc.constantFrom(...rests)).map(([t, rest]) => `{ "ts":"${t}",${rest}`),
  fc.constantFrom("", "   ", "{not json", "null", "[]", '{"ts":"2026-03-01T12:00:00.000Z"}'),
  fc.string({ maxLength: 40 }),
);

describe("reading a journal gives what parsing each line would (repeated lines are built, not parsed)", () => {
  it("for any mix of repeated, altered, foreign and broken lines", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 120 }), fc.constantFrom("\n", "\r\n"), fc.boolean(), async (lines, eol, finalNewline) => {
        await expectSameAsParsing(lines.join(eol) + (finalNewline ? eol : ""));
      }),
      { numRuns: 300 },
    );
  });

  it("across read chunks and decoded pieces: long lines, multi-byte characters at every offset", async () => {
    const lines: string[] = [];
    let t = Date.parse("2026-03-01T00:00:00.000Z");
    // ~9 MiB: lines of every length class, so chunk (4 MiB) and piece (64 KiB) edges fall
    // everywhere, with 2-, 3- and 4-byte characters next to them.
    for (let i = 0, size = 0; size < 9 << 20; i++) {
      t += 250;
      const filler = ["é", "–", "😀", "a"][i % 4]!.repeat(i % 97);
      const l = i % 5000 === 4999
        ? `{"ts":"${new Date(t).toISOString()}","kind":"connection_drop","error_message":"${"x".repeat(5 << 20)}"}`
        : `{"ts":"${new Date(t).toISOString()}","kind":"connection_drop","error_message":"${filler}","reconnect_attempt":${i % 13}}`;
      lines.push(l);
      size += Buffer.byteLength(l) + 1;
    }
    const text = `${lines.join("\n")}\n`;
    const { entries, stats } = await read(text);
    expect(stats).toMatchObject({ lines: lines.length, skipped: 0 });
    expect(entries).toHaveLength(lines.length);
    entries.forEach((e, i) => {
      const expected = parseJournalLine(lines[i]!);
      expect(e.type === "event" && expected.ok && e.event).toEqual(expected.ok && expected.event);
    });
  });
});
