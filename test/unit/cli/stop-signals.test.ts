import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAIN } from "../../helpers/cli.js";
import { freePort } from "../../helpers/free-port.js";
import { JournalBuilder } from "../../helpers/journal-builder.js";
import { pollUntil } from "../../helpers/poll.js";
import { requireTool } from "../../helpers/require-tool.js";

let dir: string;
let closedPort: number;
const children: ChildProcess[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mde-signals-"));
  closedPort = await freePort(); // nothing listens there: the client just keeps failing to connect
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Serve {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function serve(name: string, journal: string, extra: string[] = [], wrap: string[] = []): Serve {
  const config = join(dir, `${name}.yml`);
  writeFileSync(
    config,
    `connections:\n  - { name: default, endpoint: 127.0.0.1, port: ${closedPort}, client_id: dev-1 }\n  - { name: twin, endpoint: 127.0.0.1, port: ${closedPort}, client_id: dev-1 }\njournal: { path: ${journal} }\n`,
  );
  const args = [MAIN, "--config", config, "--web.listen-address", "127.0.0.1:0", ...extra];
  const child =
    wrap.length > 0
      ? spawn(wrap[0] as string, [...wrap.slice(1), process.execPath, ...args], { stdio: ["ignore", "pipe", "pipe"] })
      : spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

async function waitFor(s: Serve, text: string): Promise<void> {
  await pollUntil(() => (s.output().includes(text) ? true : undefined), `'${text}' in the output: ${s.output()}`, 30_000, 20);
}

/** A journal big enough that restoring it takes a while (hundreds of thousands of lines). */
function bigJournal(name: string): string {
  const file = join(dir, name);
  writeFileSync(file, new JournalBuilder().cycles(150_000, 60, "hangup").jsonl());
  return file;
}

/** The PID of unshare's forked child: PID 1 in its namespace. */
function childOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(" ")[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

describe("serve and stop signals", () => {
  it("two SIGTERMs 10 ms apart: exit 0, journal flushed (and the duplicate client ID warned about at start)", async () => {
    const journal = join(dir, "double.jsonl");
    const s = serve("double", journal);
    await waitFor(s, "mqtt-diagnostics-exporter listening");
    expect(s.output()).toMatch(/connections\[1\]\.client_id: 'dev-1' on '127\.0\.0\.1' is also connections\[0\]'s/);
    s.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 10));
    s.child.kill("SIGTERM");
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.output()).toContain('"msg":"stopped"');
  });

  it("SIGTERM during the journal restore: honoured, exit 0, nothing lost", async () => {
    const journal = bigJournal("restore.jsonl");
    const before = statSync(journal).size;
    const s = serve("restore", journal);
    await waitFor(s, "restoring the journal");
    s.child.kill("SIGTERM");
    expect(await s.exited).toEqual({ code: 0, signal: null });
    // The history is all there; at most this short run's own attempts and stops were added (on a
    // busy machine the restore may end before the signal lands, and the clients start).
    const added = readFileSync(journal, "utf8").slice(before).trim();
    for (const line of added === "" ? [] : added.split("\n"))
      expect((JSON.parse(line) as { kind: string }).kind).toMatch(/^(connection_stopped|connection_failure|connection_attempt)$/);
  });

  it("as PID 1 (a container), a SIGTERM during the restore is not ignored: exit 0", async () => {
    const journal = bigJournal("pid1.jsonl");
    const s = serve("pid1", journal, [], [requireTool("unshare"), "--user", "--map-root-user", "--pid", "--fork", "--kill-child"]);
    await waitFor(s, "restoring the journal");
    const pid1 = await pollUntil(() => childOf(s.child.pid as number), "unshare's child", 10_000, 20);
    process.kill(pid1, "SIGTERM");
    expect(await s.exited).toEqual({ code: 0, signal: null });
  });
});
