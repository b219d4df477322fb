import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../../src/cli/commands.js";
import { runMain } from "../../helpers/cli.js";
import { expectReferenceEqual } from "../../helpers/reference-compare.js";

const journals = fileURLToPath(new URL("../../golden/journals/", import.meta.url));

describe("mqtt-diagnostics replay", () => {
  it("prints the export document as of --at", () => {
    const r = runMain(["replay", `${journals}storm.jsonl`, "--at", "2026-03-01T18:00:00Z"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expectReferenceEqual(JSON.parse(r.stdout), JSON.parse(readFileSync(`${journals}storm.expected.json`, "utf8")));
  });

  it("applies --max-events as the retention", () => {
    const r = runMain(["replay", `${journals}retention.jsonl`, "--at", "2026-03-01T18:00:00Z", "--max-events", "5"]);
    expect(r.code).toBe(0);
    expectReferenceEqual(JSON.parse(r.stdout), JSON.parse(readFileSync(`${journals}retention.expected.json`, "utf8")));
  });

  it("prints a human summary with --format text", () => {
    const r = runMain(["replay", `${journals}storm.jsonl`, "--format", "text"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("MQTT CONNECTION DIAGNOSTICS SUMMARY");
    expect(r.stdout).toContain("AWS_IO_SOCKET_CONNECTION_REFUSED: 39");
  });

  it.each([
    [["replay", "/nonexistent/journal.jsonl"], /journal not found/],
    [["replay", `${journals}storm.jsonl`, "--at", "last tuesday"], /--at: 'last tuesday' is not an ISO 8601 instant/],
    [["replay", `${journals}storm.jsonl`, "--bogus"], /Unknown option '--bogus'/],
    [["replay", `${journals}storm.jsonl`, "--max-events", "0"], /--max-events/],
    [["replay", `${journals}storm.jsonl`, "--format", "xml"], /--format: 'xml'/],
    [["replay", `${journals}storm.jsonl`, "--connection", "nope"], /no events for connection 'nope'/],
    [["replay"], /exactly one JOURNAL/],
    [["frobnicate"], /unknown command 'frobnicate'/],
  ])("%j → one clear line on stderr, exit 2", (args, message) => {
    const r = runMain(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    // The message, then one usage line a command (and --help's).
    expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(COMMANDS.length + 2);
  });
});

describe("replay of what is not a journal: one line, exit 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "mde-replay-input-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string | Buffer) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const storm = readFileSync(`${journals}storm.jsonl`);
  const cases: [string, () => string, RegExp][] = [
    ["a directory", () => dir, /replay: '.*' is a directory; give the journal file/],
    ["an empty file", () => file("empty.jsonl", ""), /replay: '.*empty\.jsonl': no events \(the journal is empty\)/],
    ["blank lines only", () => file("blank.jsonl", "\n\n  \n"), /no events \(the journal is empty\)/],
    [
      "garbage",
      () => file("garbage.jsonl", Array.from({ length: 500 }, (_, i) => `garbage ${i}`).join("\n")),
      /replay: '.*garbage\.jsonl': no events: none of its 500 lines is a journal event \(first: .*garbage\.jsonl:1: /,
    ],
    ["binary", () => file("binary.jsonl", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))), /no events: .* a journal event/],
    ["a gzip-compressed journal", () => file("storm.jsonl.gz", gzipSync(storm)), /replay: '.*storm\.jsonl\.gz' is gzip-compressed: decompress first/],
    ["a gzip-compressed journal without .gz", () => file("storm-gz.jsonl", gzipSync(storm)), /is gzip-compressed: decompress first/],
  ];
  it.each(cases)("%s", (_what, path, message) => {
    const r = runMain(["replay", path()]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(2);
  });

  it("a journal with some bad lines replays, with at most ten warnings and a count of the rest", () => {
    const path = file("mixed.jsonl", `${storm.toString("utf8")}${Array.from({ length: 25 }, (_, i) => `bad ${i}\n`).join("")}`);
    const r = runMain(["replay", path]);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toBe("warning: … and 15 more warnings");
  });
});
