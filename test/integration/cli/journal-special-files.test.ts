import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../../helpers/cli.js";
import { freePort } from "../../helpers/free-port.js";
import { pollUntil } from "../../helpers/poll.js";
import { spawnListening } from "../../helpers/spawn-listening.js";
import { requireTool } from "../../helpers/require-tool.js";

let dir: string;
let socketServer: Server;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mde-special-"));
  execFileSync(requireTool("mkfifo"), [join(dir, "fifo.jsonl")]);
  mkdirSync(join(dir, "a-directory"));
  socketServer = createServer();
  await new Promise<void>((r) => socketServer.listen(join(dir, "socket.jsonl"), r));
});
afterAll(() => {
  socketServer.close();
  rmSync(dir, { recursive: true, force: true });
});

async function configWith(journal: string): Promise<string> {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yml`);
  // No broker there: the connection keeps failing, which is all these tests need.
  writeFileSync(file, `connections:\n  - { endpoint: 127.0.0.1, port: ${await freePort()}, client_id: special-1 }\njournal: { path: '${journal}' }\n`);
  return file;
}

const SPECIAL = [
  ["a FIFO", "fifo.jsonl", /is a FIFO \(named pipe\); the journal must be a regular file/],
  ["a character device", "/dev/null", /'\/dev\/null' is a character device; the journal must be a regular file/],
  ["a socket", "socket.jsonl", /is a socket; the journal must be a regular file/],
  ["a directory", "a-directory", /is a directory; name a file in it/],
] as const;

describe("special files as journal.path", () => {
  it.each(SPECIAL)(
    "%s: check-config and serve refuse it in one line naming the setting, exit 2, nothing hangs",
    async (_what, name, message) => {
      const journal = name.startsWith("/") ? name : join(dir, name);
      const config = await configWith(journal);
      const port = String(await freePort());
      const runs: [string[], string][] = [
        [["check-config", config], "journal.path"],
        [["--config", config, "--web.listen-address", `127.0.0.1:${port}`], "journal.path"],
        [["--config", await configWith(join(dir, "fine.jsonl")), "--journal.path", journal, "--web.listen-address", `127.0.0.1:${port}`], "--journal.path"],
      ];
      for (const [args, setting] of runs) {
        const r = runMain(args, { timeoutMs: 20_000 });
        expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(2);
        const lines = r.stderr.trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]?.startsWith(`${setting}: `) || lines[0]?.includes(` ${setting}: `)).toBe(true);
        expect(lines[0]).toMatch(message);
      }
    },
    90_000,
  );

  it("a FIFO among the rotated files: serve skips it with a warning, serves, and SIGTERM ends it", async () => {
    const journal = join(dir, "rotated", "journal.jsonl");
    mkdirSync(join(dir, "rotated"));
    execFileSync(requireTool("mkfifo"), [`${journal}.1`]);
    const service = await spawnListening(["--config", await configWith(journal)]);
    const { child, port, exited } = service;
    try {
      await pollUntil(
        async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined),
        () => `serving (output: ${service.output()})`,
      );
      expect(service.output()).toContain(`journal: skipping ${journal}.1: not a regular file`);
    } finally {
      child.kill("SIGTERM");
    }
    // Before the fix the process outlived SIGTERM (blocked opening the FIFO): never leave it behind.
    const ended = await Promise.race([exited, new Promise<"alive">((r) => setTimeout(() => r("alive"), 15_000).unref())]);
    if (ended === "alive") child.kill("SIGKILL");
    expect(ended).toBe(0);
  }, 60_000);
});
