import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { journalFiles, rotatedPath, suffixOf } from "../../../src/journal/files.js";

describe("journal files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mde-files-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("names the N-th rotated file, the active one without a suffix", () => {
    expect(rotatedPath("/j/journal.jsonl", 0)).toBe("/j/journal.jsonl");
    expect(rotatedPath("/j/journal.jsonl", 3)).toBe("/j/journal.jsonl.3");
    expect(suffixOf("/j/journal.jsonl", "/j/journal.jsonl")).toBe(0);
    expect(suffixOf("/j/journal.jsonl", "/j/journal.jsonl.12")).toBe(12);
  });

  it("lists the journal's files oldest first (highest suffix first, the active file last), nothing else", async () => {
    const path = join(dir, "journal.jsonl");
    // Numeric order, not string order: .10 is older than .2.
    for (const name of ["journal.jsonl", "journal.jsonl.1", "journal.jsonl.2", "journal.jsonl.10"]) writeFileSync(join(dir, name), "");
    // Not rotations: suffix 0, a leading zero, not a number, a checkpoint, another journal.
    for (const name of ["journal.jsonl.0", "journal.jsonl.01", "journal.jsonl.tmp", "journal.jsonl.checkpoint.json", "other.jsonl.1"])
      writeFileSync(join(dir, name), "");
    expect(await journalFiles(path)).toEqual([`${path}.10`, `${path}.2`, `${path}.1`, path]);
  });

  it("finds rotated files when the active one is missing, and none in a missing folder", async () => {
    writeFileSync(join(dir, "journal.jsonl.1"), "");
    expect(await journalFiles(join(dir, "journal.jsonl"))).toEqual([join(dir, "journal.jsonl.1")]);
    expect(await journalFiles(join(dir, "absent", "journal.jsonl"))).toEqual([]);
  });
});
