import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../../src/aws-join/events.js";
import { connectFailedEvent, connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { runMain } from "../../helpers/cli.js";
import { JournalBuilder } from "../../helpers/journal-builder.js";

const dir = mkdtempSync(join(tmpdir(), "mde-replay-lifecycle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Doc {
  recent_drops: { timestamp: string; error_name: string | null; server_reason: string | null }[];
  lifecycle: { foreign_sessions: { total: number; recent: { ip_address: string }[] } };
  diagnosis: { findings: { cause: string; evidence: string[] }[] };
}

/** MQTT 3.1.1 drops that alone read as network trouble (hang-ups), every 5 minutes. */
function journal(name: string, clientId: string | undefined): { path: string; drops: number[]; successes: number[] } {
  const b = new JournalBuilder();
  const drops: number[] = [];
  const successes: number[] = [];
  for (let i = 0; i < 4; i++) {
    b.success();
    successes.push(b.t);
    const last = b.lines[b.lines.length - 1] as Record<string, unknown>;
    if (clientId !== undefined) last["client_id"] = clientId;
    b.wait(300).drop("hangup");
    drops.push(b.t);
    b.wait(2);
  }
  const path = join(dir, `${name}.jsonl`);
  writeFileSync(path, b.jsonl());
  return { path, drops, successes };
}

const facts = (clientId: string, n: number, ip = "198.51.100.1") => ({
  clientId,
  sessionIdentifier: `${clientId}-${n}`,
  principalIdentifier: "p",
  ipAddress: ip,
  versionNumber: n,
});

/**
 * AWS's events for each of our sessions (connected, then disconnected 200-500 ms from the client's
 * drop: DUPLICATE_CLIENTID, because another device connected with our client ID just before),
 * written out of order, one twice, half of them as CloudWatch Logs exports them (time prefix).
 */
function lifecycleFile(name: string, clientId: string, j: { drops: number[]; successes: number[] }, extra: LifecycleEvent[] = []): string {
  const events: LifecycleEvent[] = [...extra];
  j.drops.forEach((at, i) => {
    const ours = facts(clientId, 2 * i + 1);
    events.push(
      connectedEvent(ours, (j.successes[i] as number) + 50),
      disconnectedEvent(ours, at - 200 - 100 * i, "DUPLICATE_CLIENTID"),
      connectedEvent(facts(clientId, 2 * i + 2, "203.0.113.9"), at - 300),
    );
  });
  events.reverse();
  events.push(events[0] as LifecycleEvent);
  const path = join(dir, `${name}.lifecycle.jsonl`);
  writeFileSync(
    path,
    events.map((e, i) => (i % 2 === 0 ? `${new Date(e.timestamp).toISOString()} ${JSON.stringify(e)}` : JSON.stringify(e))).join("\n") + "\n\n",
  );
  return path;
}

describe("replay JOURNAL --lifecycle FILE", () => {
  it("joins AWS's exported events to the journal's drops: the JSON output's recent drops carry server_reason", () => {
    const j = journal("own", "dev-1");
    const { path, drops } = j;
    const other = [disconnectedEvent(facts("dev-2", 1), drops[0] as number, "THROTTLED")];
    // As of a minute after the last drop: every event's window has passed (none is pending).
    const at = new Date((drops[3] as number) + 60_000).toISOString();
    const r = runMain(["replay", path, "--at", at, "--lifecycle", lifecycleFile("own", "dev-1", j, other)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.recent_drops.map((d) => [d.error_name, d.server_reason])).toEqual(drops.map(() => ["AWS_ERROR_MQTT_UNEXPECTED_HANGUP", "DUPLICATE_CLIENTID"]));
    expect(doc.lifecycle.foreign_sessions.total).toBe(4);
    // Alone, these hang-ups read as network trouble; with AWS's events, the server's cause comes first.
    const alone = JSON.parse(runMain(["replay", path, "--at", at]).stdout) as { diagnosis: Doc["diagnosis"] };
    expect(alone.diagnosis.findings[0]?.cause).toBe("network_unstable");
    expect(doc.diagnosis.findings[0]?.cause).toBe("duplicate_client_id");
    expect(doc.diagnosis.findings[0]?.evidence.join(" ")).toContain("203.0.113.9");
    expect(doc.diagnosis.findings.map((f) => f.cause)).not.toContain("network_unstable");
    expect(doc.lifecycle.foreign_sessions.recent[0]?.ip_address).toBe("203.0.113.9");
  });

  it("a journal that names no client ID takes the events of a file holding one client ID", () => {
    const j = journal("anonymous", undefined);
    const r = runMain(["replay", j.path, "--lifecycle", lifecycleFile("anonymous", "dev-7", j)]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Doc).recent_drops.every((d) => d.server_reason === "DUPLICATE_CLIENTID")).toBe(true);
  });

  it("refuses in one line (exit 2) a file with no events for the journal's client, or with none at all", () => {
    const j = journal("mismatch", "dev-1");
    const { path } = j;
    const wrong = runMain(["replay", path, "--lifecycle", lifecycleFile("mismatch", "dev-9", j)]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /^mqtt-diagnostics replay: --lifecycle: no events for the journal's client: the journal's client ID is dev-1; the file holds dev-9\n$/,
    );
    const empty = join(dir, "empty.jsonl");
    writeFileSync(empty, '{"eventType":"subscribed"}\n');
    const none = runMain(["replay", path, "--lifecycle", empty]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split("\n")).toHaveLength(1);
    const missing = runMain(["replay", path, "--lifecycle", join(dir, "absent.jsonl")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read");
  });

  it("warns about lines that are not lifecycle events and still joins the rest", () => {
    const j = journal("partial", "dev-1");
    const { path } = j;
    const file = lifecycleFile("partial", "dev-1", j, [connectFailedEvent(facts("dev-1", 50), 1)]);
    writeFileSync(file, `not json\n${readText(file)}`);
    const r = runMain(["replay", path, "--lifecycle", file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("lifecycle: skipping line 1: not JSON");
  });
});

function readText(path: string): string {
  return readFileSync(path, "utf8");
}
