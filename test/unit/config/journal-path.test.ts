import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { checkJournalPath } from "../../../src/config/journal-path.js";
import { requireTool } from "../../helpers/require-tool.js";

const dir = mkdtempSync(join(tmpdir(), "mde-journal-path-"));
mkdirSync(join(dir, "a-directory"));
writeFileSync(join(dir, "a-file"), "");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("checkJournalPath", () => {
  it("refuses a directory, naming the setting and a file to use instead", () => {
    expect(() => checkJournalPath(join(dir, "a-directory"), "journal.path")).toThrow(ConfigError);
    expect(() => checkJournalPath(`${join(dir, "a-directory")}/`, "--journal.path")).toThrow(
      /^--journal\.path: '.*a-directory\/' is a directory; name a file in it, e.g. '.*a-directory\/journal\.jsonl'$/,
    );
  });

  it("refuses a path under a file, at any depth", () => {
    expect(() => checkJournalPath(join(dir, "a-file", "j.jsonl"), "journal.path")).toThrow(/^journal\.path: '.*a-file' is not a directory/);
    expect(() => checkJournalPath(join(dir, "a-file", "x", "y", "j.jsonl"), "journal.path")).toThrow(/'.*a-file' is not a directory/);
  });

  it("accepts an existing file, and a missing file or folders (the writer creates them)", () => {
    expect(() => checkJournalPath(join(dir, "a-file"), "journal.path")).not.toThrow();
    expect(() => checkJournalPath(join(dir, "new", "deeper", "j.jsonl"), "journal.path")).not.toThrow();
  });

  it("refuses a symlink, wherever it points (the writer never follows one)", () => {
    symlinkSync("/etc/passwd", join(dir, "link.jsonl"));
    expect(() => checkJournalPath(join(dir, "link.jsonl"), "journal.path")).toThrow(/^journal\.path: '.*link\.jsonl' is a symlink/);
  });

  it("refuses a FIFO, a device and a socket, saying what it is, without opening it", async () => {
    execFileSync(requireTool("mkfifo"), [join(dir, "fifo.jsonl")]);
    expect(() => checkJournalPath(join(dir, "fifo.jsonl"), "journal.path")).toThrow(
      /^journal\.path: '.*fifo\.jsonl' is a FIFO \(named pipe\); the journal must be a regular file/,
    );
    expect(() => checkJournalPath("/dev/null", "--journal.path")).toThrow(
      /^--journal\.path: '\/dev\/null' is a character device; the journal must be a regular file/,
    );
    const { createServer } = await import("node:net");
    const server = createServer();
    await new Promise<void>((r) => server.listen(join(dir, "sock.jsonl"), r));
    try {
      expect(() => checkJournalPath(join(dir, "sock.jsonl"), "journal.path")).toThrow(/is a socket; the journal must be a regular file/);
    } finally {
      server.close();
    }
  });
});
