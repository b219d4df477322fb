import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJournalLine } from "../../../src/journal/parse.js";
import { readJournal } from "../../../src/journal/reader.js";
import { readText } from "../../helpers/journal-read.js";

describe("reading a journal, a chunk at a time", () => {
  it("across read chunks and decoded pieces: long lines, multi-byte characters at every offset", async () => {
    const lines: string[] = [];
    let t = Date.parse("2026-03-01T00:00:00.000Z");
    // ~9 MiB: lines of every length class, so chunk (4 MiB) and piece (64 KiB) edges fall
    // everywhere, with 2-, 3- and 4-byte characters next to them.
    for (let i = 0, size = 0; size < 9 << 20; i++) {
      t += 250;
      const filler = ["é", "–", "😀", "a"][i % 4]!.repeat(i % 97);
      const l =
        i % 5000 === 4999
          ? `{"ts":"${new Date(t).toISOString()}","kind":"connection_drop","error_message":"${"x".repeat(5 << 20)}"}`
          : `{"ts":"${new Date(t).toISOString()}","kind":"connection_drop","error_message":"${filler}","reconnect_attempt":${i % 13}}`;
      lines.push(l);
      size += Buffer.byteLength(l) + 1;
    }
    const text = `${lines.join("\n")}\n`;
    const { entries, stats } = await readText(text);
    expect(stats).toMatchObject({ lines: lines.length, skipped: 0 });
    expect(entries).toHaveLength(lines.length);
    entries.forEach((e, i) => {
      const expected = parseJournalLine(lines[i]!);
      expect(e.type === "event" && expected.ok && e.event).toEqual(expected.ok && expected.event);
    });
  });

  it("a reader that stops early leaves no read in flight: the file is closed and can be read again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mde-reader-stop-"));
    try {
      const file = join(dir, "journal.jsonl");
      // Over one chunk (4 MiB), so the next chunk's read is under way when the reader stops.
      const line = `{"ts":"2026-03-01T00:00:00.000Z","kind":"connection_drop","error_message":"${"m".repeat(200)}"}`;
      writeFileSync(file, `${`${line}\n`.repeat(30_000)}`);
      for (let round = 0; round < 2; round++) {
        let seen = 0;
        for await (const entry of readJournal(file)) {
          expect(entry.type).toBe("event");
          if (++seen === 3) break;
        }
        expect(seen).toBe(3);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
