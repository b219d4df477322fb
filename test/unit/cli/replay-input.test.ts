import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { checkJournalInput, ReplayWarnings } from "../../../src/cli/replay-input.js";
import { UsageError } from "../../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "mde-replay-input-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("checkJournalInput", () => {
  it("refuses a directory and a gzip file; leaves a missing file to the reader", () => {
    writeFileSync(join(dir, "j.gz"), gzipSync("{}\n"));
    writeFileSync(join(dir, "j.jsonl"), "{}\n");
    expect(() => checkJournalInput(dir)).toThrow(UsageError);
    expect(() => checkJournalInput(dir)).toThrow(/is a directory; give the journal file/);
    expect(() => checkJournalInput(join(dir, "j.gz"))).toThrow(/is gzip-compressed: decompress first \(gunzip -k '.*j\.gz'\)/);
    expect(() => checkJournalInput(join(dir, "j.jsonl"))).not.toThrow();
    expect(() => checkJournalInput(join(dir, "missing.jsonl"))).not.toThrow();
  });
});

describe("ReplayWarnings", () => {
  it("holds ten warnings and counts the rest", () => {
    const w = new ReplayWarnings();
    for (let i = 1; i <= 12; i++) w.logger.warn({}, `journal: skipping f:${i}: not valid JSON`);
    expect(w.first()).toBe("f:1: not valid JSON");
    let out = "";
    w.print((t) => (out += t));
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe("warning: journal: skipping f:1: not valid JSON");
    expect(lines[10]).toBe("warning: … and 2 more warnings");
  });

  it("says '1 more warning' for one", () => {
    const w = new ReplayWarnings();
    for (let i = 1; i <= 11; i++) w.logger.warn({}, `w${i}`);
    let out = "";
    w.print((t) => (out += t));
    expect(out.trimEnd().split("\n").at(-1)).toBe("warning: … and 1 more warning");
  });
});
