import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isCanonicalIso, ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import fc from "fast-check";
import { checkedTsIsCanonical, parseJournalLine } from "../../../src/journal/parse.js";
import { readJournal, type ReadStats } from "../../../src/journal/reader.js";
import { restoreJournal } from "../../../src/journal/restore.js";

const TS = "2026-03-01T12:00:00.000Z";
const line = (o: object) => JSON.stringify({ ts: TS, ...o });

describe("parseJournalLine", () => {
  it("accepts the issue's four public kinds as documented, and fills the original's defaults", () => {
    const success = parseJournalLine(
      line({ kind: "connection_success", event_type: "resumed", session_present: true, return_code: 0, attempt_number: 3, keep_alive_seconds: 300 }),
    );
    expect(success).toEqual({
      ok: true,
      event: { ts: TS, kind: "connection_success", event_type: "resumed", session_present: true, return_code: 0, attempt_number: 3, keep_alive_seconds: 300 },
    });
    const drop = parseJournalLine(
      line({
        kind: "connection_drop",
        connection: "dev-2",
        error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
        error_message: "The connection was closed unexpectedly.",
        error_code: 5134,
        reconnect_attempt: 0,
        active_subscriptions: 1,
        queued_commands: 0,
        disconnect_reason_code: 142,
      }),
    );
    expect(drop.ok && drop.event).toMatchObject({ kind: "connection_drop", connection: "dev-2", error_code: 5134, disconnect_reason_code: 142 });
    expect(parseJournalLine(line({ kind: "publish" }))).toEqual({ ok: true, event: { ts: TS, kind: "publish", queued: false } });
    const failure = parseJournalLine(
      line({ kind: "connection_failure", error_name: "AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE", error_code: 1029, connack_reason_code: 135 }),
    );
    expect(failure.ok && failure.event).toMatchObject({ error_name: "AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE", error_message: null, connack_reason_code: 135 });
    expect(parseJournalLine(line({ kind: "connection_drop" }))).toEqual({
      ok: true,
      event: {
        ts: TS,
        kind: "connection_drop",
        error_name: null,
        error_message: null,
        error_code: null,
        reconnect_attempt: 0,
        active_subscriptions: 0,
        queued_commands: 0,
      },
    });
  });

  it("accepts our additions: attempts, clean stops and probes", () => {
    expect(parseJournalLine(line({ kind: "connection_attempt" })).ok).toBe(true);
    expect(parseJournalLine(line({ kind: "connection_stopped", reason: "process_restart" })).ok).toBe(true);
    expect(parseJournalLine(line({ kind: "probe", rtt_seconds: null })).ok).toBe(true);
    expect(parseJournalLine(line({ kind: "probe", rtt_seconds: 0.042 })).ok).toBe(true);
  });

  it.each([
    ["{not json", /not valid JSON/],
    ['{"ts":"2026-03-01T12:00:00Z","kind":"conn', /not valid JSON/],
    ["[1,2]", /not a JSON object/],
    ["null", /not a JSON object/],
    [JSON.stringify({ ts: "yesterday", kind: "publish" }), /`ts`/],
    [JSON.stringify({ ts: "2026-03-01T12:00:00+02:00", kind: "publish" }), /`ts`/],
    [JSON.stringify({ kind: "publish" }), /`ts`/],
    [line({ kind: 7 }), /`kind`/],
    [line({ kind: "publish", connection: "" }), /`connection`/],
    [line({ kind: "publish", queued: "yes" }), /`queued`/],
    [line({ kind: "connection_drop", reconnect_attempt: -1 }), /`reconnect_attempt`/],
    [line({ kind: "connection_drop", error_code: 51.34 }), /`error_code`/],
    [line({ kind: "connection_success", session_present: 1 }), /`session_present`/],
    [line({ kind: "probe", rtt_seconds: "fast" }), /`rtt_seconds`/],
  ])("rejects %s with a reason, without throwing", (text, reason) => {
    const r = parseJournalLine(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "reconnect_storm"])(
    "treats kind '%s' as unknown (never as an Object.prototype member)",
    (kind) => {
      const r = parseJournalLine(`{"ts":"${TS}","kind":${JSON.stringify(kind)}}`);
      expect(r).toMatchObject({ ok: false, unknownKind: kind });
    },
  );
});

describe("checkedTsIsCanonical", () => {
  it("tells by length alone, for every `ts` the parser accepts, what reading its characters would", () => {
    const digits = (n: number) => fc.string({ unit: fc.constantFrom("0", "1", "2", "5", "9"), minLength: n, maxLength: n });
    const ts = fc
      .tuple(
        digits(4),
        digits(2),
        digits(2),
        digits(2),
        digits(2),
        digits(2),
        fc.option(digits(1).chain((d) => fc.nat(6).map((k) => d.repeat(k + 1)))),
        fc.constantFrom("Z", "+00:00", "-00:00"),
      )
      .map(([y, mo, d, h, mi, s, frac, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${frac === null ? "" : `.${frac}`}${zone}`);
    fc.assert(
      fc.property(ts, (t) => {
        const parsed = parseJournalLine(JSON.stringify({ ts: t, kind: "publish" }));
        if (parsed.ok) expect(checkedTsIsCanonical(parsed.event.ts), t).toBe(isCanonicalIso(parsed.event.ts));
      }),
    );
  });
});

describe("readJournal", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mde-parse-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("skips unknown kinds, counts them per kind and warns once per kind", async () => {
    const path = join(dir, "journal.jsonl");
    const lines = [
      line({ kind: "publish" }),
      line({ kind: "reconnect_storm", n: 1 }),
      line({ kind: "reconnect_storm", n: 2 }),
      line({ kind: "future_thing" }),
      line({ kind: "reconnect_storm", n: 3 }),
      line({ kind: "publish", queued: true }),
    ];
    writeFileSync(path, `${lines.join("\n")}\n`);
    const logger = { warn: vi.fn(), error: vi.fn() };
    const stats: ReadStats = { files: [], lines: 0, skipped: 0 };
    const kinds: string[] = [];
    for await (const entry of readJournal(path, { logger, stats })) if (entry.type === "event") kinds.push(entry.event.kind);
    expect(kinds).toEqual(["publish", "publish"]);
    expect(stats).toMatchObject({ lines: 6, skipped: 4, unknownKinds: { reconnect_storm: 3, future_thing: 1 } });
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(String(logger.warn.mock.calls[0]?.[1])).toContain(`unknown kind 'reconnect_storm' (first at ${path}:2)`);
  });

  it("warns about unknown kinds named like Object.prototype members too", async () => {
    const path = join(dir, "journal.jsonl");
    const kinds = ["__proto__", "toString", "constructor", "__proto__"];
    writeFileSync(path, `${kinds.map((kind) => line({ kind })).join("\n")}\n`);
    const logger = { warn: vi.fn(), error: vi.fn() };
    const stats: ReadStats = { files: [], lines: 0, skipped: 0 };
    for await (const entry of readJournal(path, { logger, stats })) expect(entry).toBeUndefined();
    expect(stats.skipped).toBe(4);
    expect(JSON.stringify(stats.unknownKinds)).toBe(JSON.stringify({ ["__proto__"]: 2, toString: 1, constructor: 1 }));
    expect(logger.warn.mock.calls.map((c) => String(c[1]))).toEqual([
      `journal: skipping lines of unknown kind '__proto__' (first at ${path}:1)`,
      `journal: skipping lines of unknown kind 'toString' (first at ${path}:2)`,
      `journal: skipping lines of unknown kind 'constructor' (first at ${path}:3)`,
    ]);
  });

  it("reads CRLF line endings, blank lines and a file without a final newline", async () => {
    const path = join(dir, "journal.jsonl");
    writeFileSync(path, `${line({ kind: "publish" })}\r\n\r\n\n${line({ kind: "publish" })}`);
    const registry = new CollectorRegistry({ clock: new ManualClock(0) });
    const stats = await restoreJournal(path, registry, { logger: { warn: vi.fn(), error: vi.fn() } });
    expect(stats).toMatchObject({ lines: 2, skipped: 0 });
    expect(registry.get("default")?.totals.messages_published).toBe(2);
  });

  it("skips a damaged checkpoint with a warning instead of failing the restore", async () => {
    const path = join(dir, "journal.jsonl");
    const broken = JSON.stringify({ ts: TS, kind: "checkpoint", state: { metrics: { total_connections: "many" } } });
    writeFileSync(path, `${broken}\n${line({ kind: "publish" })}\n`);
    const logger = { warn: vi.fn(), error: vi.fn() };
    const registry = new CollectorRegistry({ clock: new ManualClock(0) });
    const stats = await restoreJournal(path, registry, { logger });
    expect(stats).toMatchObject({ lines: 2, skipped: 1 });
    expect(registry.get("default")?.totals.messages_published).toBe(1);
    expect(String(logger.warn.mock.calls[0]?.[1])).toMatch(new RegExp(`${path}:1: checkpoint: \`state\\.`));
  });

  it("does not mistake a message quoting a checkpoint for one", async () => {
    const path = join(dir, "journal.jsonl");
    writeFileSync(path, `${line({ kind: "connection_drop", error_message: 'peer said "kind":"checkpoint"' })}\n`);
    const registry = new CollectorRegistry({ clock: new ManualClock(0) });
    const stats = await restoreJournal(path, registry, { logger: { warn: vi.fn(), error: vi.fn() } });
    expect(stats.skipped).toBe(0);
    expect(registry.get("default")?.totals.total_connection_drops).toBe(1);
  });
});
