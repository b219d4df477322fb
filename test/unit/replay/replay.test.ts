import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { journalFiles } from "../../../src/journal/files.js";
import { JournalWriter } from "../../../src/journal/writer.js";
import { replayDocument, replayJournal } from "../../../src/replay/replay.js";
import { runMain } from "../../helpers/cli.js";
import { expectReferenceEqual } from "../../helpers/reference-compare.js";

// Expected documents come from the original Python module (test/golden/regenerate.sh, test/golden/reference); no Python here.
const dir = fileURLToPath(new URL("../../fixtures/journals/", import.meta.url));
const expected = (name: string): unknown => JSON.parse(readFileSync(`${dir}${name}.expected.json`, "utf8"));
const quiet = () => ({ warn: vi.fn(), error: vi.fn() });

describe("replay of a rotated set (oldest file first) with bad lines", () => {
  it("equals the original module's document of the clean history, as of the last event by default", async () => {
    const logger = quiet();
    const result = await replayJournal({ journal: `${dir}rotated/journal.jsonl`, logger });
    expect(result.stats.files.map((f) => f.slice(f.lastIndexOf("/") + 1))).toEqual(["journal.jsonl.2", "journal.jsonl.1", "journal.jsonl"]);
    expect(result.stats.skipped).toBe(4);
    expect(result.stats.unknownKinds).toEqual({ reconnect_storm_detected: 1 });
    expectReferenceEqual(replayDocument(result), expected("rotated"));
    const warnings = logger.warn.mock.calls.map((c) => String(c[1]));
    expect(warnings).toHaveLength(4);
    expect(warnings.some((w) => w.includes("journal.jsonl.2:6: not valid JSON"))).toBe(true);
    expect(warnings.some((w) => w.includes("journal.jsonl.1:8: `ts`"))).toBe(true);
    expect(warnings.some((w) => /journal\.jsonl:195: not valid JSON/.test(w))).toBe(true);
  });

  it("through the CLI: the document on stdout, one warning line per bad line on stderr", () => {
    const r = runMain(["replay", `${dir}rotated/journal.jsonl`]);
    expect(r.code).toBe(0);
    expectReferenceEqual(JSON.parse(r.stdout), expected("rotated"));
    expect(r.stderr.trim().split("\n")).toHaveLength(4);
  });

  it("--format text uses the original's print_summary wording", () => {
    const r = runMain(["replay", `${dir}rotated/journal.jsonl`, "--format", "text"]);
    expect(r.code).toBe(0);
    const doc = expected("rotated") as { metrics: Record<string, unknown> };
    for (const line of [
      "MQTT CONNECTION DIAGNOSTICS SUMMARY",
      `Total Connections: ${String(doc.metrics["total_connections"])}`,
      `Total Connection Drops: ${String(doc.metrics["total_connection_drops"])}`,
      `Successful Reconnections: ${String(doc.metrics["connection_recovered"])}`,
      `Total Reconnection Attempts: ${String(doc.metrics["total_reconnect_attempts"])}`,
      "SESSION DURATION STATISTICS",
      `Longest Session: ${(doc.metrics["longest_session_seconds"] as number).toFixed(1)}s`,
      "CONNECTION DROPS BY ERROR TYPE",
      "RECONNECTION ATTEMPTS DISTRIBUTION",
      "Attempts 2-5: ",
      `Messages Queued: ${String(doc.metrics["messages_queued"])}`,
    ]) {
      expect(r.stdout).toContain(line);
    }
  });
});

describe("replay equals the original module", () => {
  it("when the default retention (1000) overflows, in lines that leave optional fields out", async () => {
    const result = await replayJournal({ journal: `${dir}overflow.jsonl`, atMs: Date.parse("2026-03-10T00:00:00Z") });
    const doc = replayDocument(result);
    expectReferenceEqual(doc, expected("overflow"));
    expect(result.collector?.getRecentDrops(5000)).toHaveLength(1000);
  });

  it("for edge-case lines: offsets, microseconds, nulls, missing messages, same-instant events", async () => {
    const result = await replayJournal({ journal: `${dir}edge.jsonl`, atMs: Date.parse("2026-03-01T07:30:00Z"), logger: quiet() });
    expect(result.stats.skipped).toBe(0);
    expectReferenceEqual(replayDocument(result), expected("edge"));
  });
});

describe("replay of a set whose oldest files rotation deleted", () => {
  it("gives the live collector's document (checkpoints carry the counters)", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "mde-replay-rot-"));
    try {
      const path = join(tmp, "journal.jsonl");
      const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
      const registry = new CollectorRegistry({ clock, logger: quiet() });
      const writer = new JournalWriter({ path, maxBytes: 3000, retainFiles: 2, logger: quiet() });
      writer.attach(registry);
      const c = registry.getOrCreate("default");
      const other = registry.getOrCreate("lab-device");
      c.recordConnectionSuccess({ keepAliveSeconds: 60 });
      for (let i = 0; i < 200; i++) {
        clock.advance(30_000);
        c.recordConnectionDrop({ error: { error_name: "AWS_IO_SOCKET_CLOSED", error_code: 1051, message: "socket is closed." }, reconnectAttempt: i % 3 });
        other.recordPublish(i % 2 === 0);
        clock.advance(1_000);
        c.recordConnectionSuccess({ eventType: "resumed" });
      }
      await writer.close();
      expect((await journalFiles(path)).length).toBe(3);
      const at = new Date(clock.now()).toISOString();
      const r = runMain(["replay", path, "--at", at, "--max-events", "1000"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      const { diagnosis: _d, ...doc } = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(doc).toEqual(JSON.parse(JSON.stringify(c.export())));
      const rLab = runMain(["replay", path, "--at", at, "--connection", "lab-device"]);
      expect((JSON.parse(rLab.stdout) as { metrics: { messages_queued: number } }).metrics.messages_queued).toBe(100);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("replay --at T", () => {
  it("is the document as of T: events after T are ignored", async () => {
    const work = mkdtempSync(join(tmpdir(), "mde-at-"));
    try {
      const t0 = Date.parse("2026-03-01T12:00:00Z");
      const ts = (s: number) => new Date(t0 + s * 1000).toISOString();
      const journal = join(work, "journal.jsonl");
      writeFileSync(
        journal,
        [
          { ts: ts(0), kind: "connection_success" },
          { ts: ts(60), kind: "connection_drop", error_name: "AWS_IO_SOCKET_CLOSED", error_message: "closed", error_code: 1051 },
          { ts: ts(120), kind: "connection_success", event_type: "resumed" },
          { ts: ts(3600), kind: "connection_drop", error_name: "AWS_IO_SOCKET_CLOSED", error_message: "closed", error_code: 1051 },
          { ts: ts(3700), kind: "publish" },
        ]
          .map((l) => JSON.stringify(l))
          .join("\n"),
      );
      const at = t0 + 1800_000;
      const result = await replayJournal({ journal, atMs: at });
      const doc = replayDocument(result);
      expect(doc.timestamp).toBe(new Date(at).toISOString());
      expect(doc.metrics.total_connection_drops).toBe(1);
      expect(doc.metrics.messages_published).toBe(0);
      expect(doc.connected).toBe(true);
      expect(doc.metrics.current_session_uptime_seconds).toBe(1680);
      expect(result.stats.afterUntil).toBe(2);
      // Before the first event: the empty document, no negative uptime.
      const early = replayDocument(await replayJournal({ journal, atMs: t0 - 1000 }));
      expect(early.metrics.total_connections).toBe(0);
      expect(early.metrics.current_session_uptime_seconds).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
