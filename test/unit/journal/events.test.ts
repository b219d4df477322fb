import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, expectTypeOf, it } from "vitest";
import type {
  ConnectionAttemptLine,
  ConnectionDropLine,
  ConnectionFailureLine,
  ConnectionStoppedLine,
  ConnectionSuccessLine,
  JournalEvent,
  JournalKind,
  LineOf,
  ProbeLine,
  PublishLine,
} from "../../../src/journal/events.js";
import { DEFAULT_CONNECTION } from "../../../src/journal/events.js";
import { parseJournalLine } from "../../../src/journal/parse.js";
import { replayJournal } from "../../../src/replay/replay.js";

// The journal's names for its lines, against what the parser returns for the real journals in
// test/fixtures (hand-written ones that leave fields out, the demo's own, rotated sets).
const FIXTURES = fileURLToPath(new URL("../../fixtures/journals/", import.meta.url));
const journals = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? journals(join(dir, e.name)) : /\.jsonl(\.\d+)?$/.test(e.name) ? [join(dir, e.name)] : [],
  );

interface Aliases {
  connection_success: ConnectionSuccessLine;
  connection_drop: ConnectionDropLine;
  publish: PublishLine;
  connection_failure: ConnectionFailureLine;
  connection_attempt: ConnectionAttemptLine;
  connection_stopped: ConnectionStoppedLine;
  probe: ProbeLine;
}

/** Which fields a line may leave out, as the types declare it: checked against each real line. */
type Presence<L> = { [K in keyof L]-?: Pick<L, K> extends Required<Pick<L, K>> ? "required" : "optional" };
const LINE = { ts: "required", kind: "required", connection: "optional" } as const;
const FIELDS = {
  connection_success: {
    ...LINE,
    event_type: "required",
    session_present: "required",
    return_code: "required",
    attempt_number: "required",
    keep_alive_seconds: "optional",
    transport: "optional",
    client_id: "optional",
  },
  connection_drop: {
    ...LINE,
    error_name: "required",
    error_message: "required",
    error_code: "required",
    reconnect_attempt: "required",
    active_subscriptions: "required",
    queued_commands: "required",
    disconnect_reason_code: "optional",
  },
  publish: { ...LINE, queued: "required" },
  connection_failure: { ...LINE, error_name: "required", error_message: "optional", error_code: "required", connack_reason_code: "optional" },
  connection_attempt: { ...LINE },
  connection_stopped: { ...LINE, reason: "optional" },
  probe: { ...LINE, rtt_seconds: "required" },
} as const satisfies { [K in keyof Aliases]: Presence<Aliases[K]> };

const isAliased = (kind: string): kind is keyof Aliases => Object.hasOwn(FIELDS, kind);

describe("journal/events: the line types", () => {
  const events = journals(FIXTURES).flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .flatMap((line) => {
        const r = parseJournalLine(line);
        return r.ok ? [r.event] : [];
      }),
  );

  it("each alias is LineOf its kind, and the kinds are the journal's", () => {
    expectTypeOf<ConnectionDropLine>().toEqualTypeOf<LineOf<"connection_drop">>();
    expectTypeOf<JournalKind>().toEqualTypeOf<keyof Aliases | "lifecycle">();
    expectTypeOf<JournalEvent>().toEqualTypeOf<Aliases[keyof Aliases] | LineOf<"lifecycle">>();
    expectTypeOf<{ [K in keyof Aliases]: Aliases[K]["kind"] }>().toEqualTypeOf<{ [K in keyof Aliases]: K }>();
  });

  it("narrowing what the parser returns by `kind` gives each alias", () => {
    // A switch over every kind: tsc checks each branch's type, the run checks each branch is reached.
    const seen = new Set<string>();
    for (const e of events) {
      seen.add(e.kind);
      switch (e.kind) {
        case "connection_success":
          expectTypeOf(e).toEqualTypeOf<ConnectionSuccessLine>();
          break;
        case "connection_drop":
          expectTypeOf(e).toEqualTypeOf<ConnectionDropLine>();
          break;
        case "publish":
          expectTypeOf(e).toEqualTypeOf<PublishLine>();
          break;
        case "connection_failure":
          expectTypeOf(e).toEqualTypeOf<ConnectionFailureLine>();
          break;
        case "connection_attempt":
          expectTypeOf(e).toEqualTypeOf<ConnectionAttemptLine>();
          break;
        case "connection_stopped":
          expectTypeOf(e).toEqualTypeOf<ConnectionStoppedLine>();
          break;
        case "probe":
          expectTypeOf(e).toEqualTypeOf<ProbeLine>();
          break;
        case "lifecycle":
          expectTypeOf(e).toEqualTypeOf<LineOf<"lifecycle">>();
          break;
        default:
          expectTypeOf(e).toBeNever();
      }
    }
    expect([...seen].filter(isAliased).sort()).toEqual(Object.keys(FIELDS).sort());
  });

  it("every parsed line has the fields its type requires (defaults filled) and no other", () => {
    let checked = 0;
    for (const e of events) {
      if (!isAliased(e.kind)) continue;
      const fields: Readonly<Record<string, string>> = FIELDS[e.kind];
      const where = JSON.stringify(e);
      expect(
        Object.keys(e).filter((k) => fields[k] === undefined),
        where,
      ).toEqual([]);
      expect(
        Object.keys(fields).filter((k) => fields[k] === "required" && (e as Record<string, unknown>)[k] === undefined),
        where,
      ).toEqual([]);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it(`a line without \`connection\` belongs to the connection named DEFAULT_CONNECTION ('${DEFAULT_CONNECTION}')`, async () => {
    const file = join(FIXTURES, "edge.jsonl");
    expect(readFileSync(file, "utf8")).not.toContain('"connection"');
    const { registry } = await replayJournal({ journal: file });
    expect(registry.names()).toEqual([DEFAULT_CONNECTION]);
    expect(registry.get(DEFAULT_CONNECTION)?.getMetrics().total_connection_drops).toBe(5);
  });
});
