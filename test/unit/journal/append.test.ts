import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { appendToJournal, cutTornTail } from "../../../src/journal/append.js";
import { JournalWriter } from "../../../src/journal/writer.js";
import { requireTool } from "../../helpers/require-tool.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mde-append-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const LINE = '{"ts":"2026-03-01T12:00:00.000Z","kind":"publish","queued":false}\n';

describe("appending to the journal file", () => {
  it("creates the journal owner-only, folder included, and never writes through a symlink", async () => {
    const path = join(dir, "new", "journal.jsonl");
    expect(await appendToJournal(path, Buffer.from(LINE), false)).toEqual({ bytes: LINE.length, cut: 0 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const target = join(dir, "elsewhere");
    writeFileSync(target, "");
    symlinkSync(target, join(dir, "planted.jsonl"));
    const out = await appendToJournal(join(dir, "planted.jsonl"), Buffer.from(LINE), false);
    expect(String(out.error)).toMatch(/ELOOP/);
    expect(readFileSync(target, "utf8")).toBe("");
  });

  it("refuses a FIFO or a device without blocking, and writes nothing to it", async () => {
    const fifo = join(dir, "fifo.jsonl");
    execFileSync(requireTool("mkfifo"), [fifo]);
    expect(String((await appendToJournal(fifo, Buffer.from(LINE), true)).error)).toMatch(/ENXIO|not a regular file/);
    expect(String((await appendToJournal("/dev/null", Buffer.from(LINE), true)).error)).toMatch(/not a regular file/);
    expect(await cutTornTail(fifo)).toBe(0);
  });

  it("cuts a torn last line before appending when asked, and only the torn part", async () => {
    const path = join(dir, "journal.jsonl");
    writeFileSync(path, `${LINE}${LINE}{"ts":"2026-03-01T12:0`);
    expect(await appendToJournal(path, Buffer.from(LINE), true)).toEqual({ bytes: LINE.length, cut: 22 });
    expect(readFileSync(path, "utf8")).toBe(LINE.repeat(3));
    expect(await cutTornTail(path)).toBe(0);
    expect(await cutTornTail(join(dir, "absent.jsonl"))).toBe(0);
  });

  it("cuts a torn tail longer than one read step, and a file that is one torn line", async () => {
    const path = join(dir, "journal.jsonl");
    writeFileSync(path, `${LINE}{"ts":"${"x".repeat(200_000)}`);
    expect(await cutTornTail(path)).toBe(200_007);
    expect(readFileSync(path, "utf8")).toBe(LINE);
    writeFileSync(path, '{"ts":"2026');
    expect(await cutTornTail(path)).toBe(11);
    expect(statSync(path).size).toBe(0);
  });

  it("never cuts a tail that is not the start of a journal line (another file): ends it with a newline instead", async () => {
    const path = join(dir, "not-a-journal.txt");
    writeFileSync(path, "first line\nprecious text without a newline");
    expect(await cutTornTail(path)).toBe(0);
    expect(await appendToJournal(path, Buffer.from(LINE), true)).toEqual({ bytes: LINE.length, cut: 0 });
    expect(readFileSync(path, "utf8")).toBe(`first line\nprecious text without a newline\n${LINE}`);
    writeFileSync(path, "{");
    expect(await cutTornTail(path)).toBe(1);
  });

  it("a writer opened on a journal a crash left torn cuts the torn line: the next line is whole", async () => {
    const path = join(dir, "journal.jsonl");
    writeFileSync(path, `${LINE}{"ts":"2026-03-01T12:00:01.000Z","kind":"conn`);
    const writer = new JournalWriter({ path, logger: { warn: vi.fn(), error: vi.fn() } });
    const registry = new CollectorRegistry({ logger: { warn: vi.fn(), error: vi.fn() } });
    writer.attach(registry);
    registry.getOrCreate("default").recordPublish(true);
    await writer.close();
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    expect(JSON.parse(lines[1] as string)).toMatchObject({ kind: "publish", queued: true });
  });
});
