import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runMain } from "../helpers/cli.js";
import { expectSeedEqual } from "../helpers/seed-compare.js";

const journals = fileURLToPath(new URL("../golden/journals/", import.meta.url));

describe("mqtt-diagnostics replay", () => {
  it("prints the export document as of --at", () => {
    const r = runMain(["replay", `${journals}storm.jsonl`, "--at", "2026-03-01T18:00:00Z"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expectSeedEqual(JSON.parse(r.stdout), JSON.parse(readFileSync(`${journals}storm.expected.json`, "utf8")));
  });

  it("applies --max-events as the retention", () => {
    const r = runMain(["replay", `${journals}retention.jsonl`, "--at", "2026-03-01T18:00:00Z", "--max-events", "5"]);
    expect(r.code).toBe(0);
    expectSeedEqual(JSON.parse(r.stdout), JSON.parse(readFileSync(`${journals}retention.expected.json`, "utf8")));
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
    expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(5);
  });
});
