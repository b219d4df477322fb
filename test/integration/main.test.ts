import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAIN, runMain } from "../helpers/cli.js";
import { requireTool } from "../helpers/require-tool.js";

// The process entry, run as users run it: the built and bundled `dist/cli/main.js` (`npm test` builds first).
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string; bin: Record<string, string> };
const JOURNAL = new URL("../fixtures/journals/diagnosis/demo-20min.jsonl", import.meta.url).pathname;

/**
 * Runs `argv` with stdout on a real pipe shrunk to one page (F_SETPIPE_SZ, Linux), read 512
 * bytes at a time with a pause after each: the output is many times the pipe, so the process
 * writes most of it while the reader lags and must not exit before it is all through.
 */
const SLOW_READER = String.raw`
import fcntl, os, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ
child = subprocess.Popen(sys.argv[1:], stdout=w)
os.close(w)
out = bytearray()
while True:
    chunk = os.read(r, 512)
    if not chunk:
        break
    out += chunk
    time.sleep(0.002)
code = child.wait()
sys.stdout.buffer.write(out)
sys.exit(code)
`;

describe("main: the process entry", () => {
  it("is the package's bin", () => {
    expect(Object.values(pkg.bin)).toEqual(["dist/cli/main.js"]);
    expect(readFileSync(MAIN, "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it("replay loads two modules, the entry and replay's bundle, and no package (start-up: Node resolves and links each module)", () => {
    // A hook that lists every module Node loads from a file, printed to stderr at exit.
    const hook = `data:text/javascript,${encodeURIComponent(`import { registerHooks } from "node:module";
const loaded = [];
registerHooks({ load(url, context, next) { if (url.startsWith("file:")) loaded.push(url); return next(url, context); } });
process.on("exit", () => process.stderr.write("LOADED " + JSON.stringify(loaded) + "\\n"));`)}`;
    const r = spawnSync(process.execPath, ["--import", hook, MAIN, "replay", JOURNAL], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(0);
    const loaded = JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)?.[1] ?? "null") as string[];
    expect(loaded.map((url) => url.replace(/^.*\/dist\//, "dist/"))).toEqual(["dist/cli/main.js", "dist/cli/replay-main.js"]);
  });

  it("a crash's stack in the bundle maps back to src/ with --enable-source-maps (Node reads the maps only with the flag)", () => {
    const replayBundle = join(dirname(MAIN), "replay-main.js");
    const probe = `const { runReplay } = await import(${JSON.stringify(replayBundle)}); try { await runReplay(null); } catch (e) { console.log(e.stack); }`;
    const r = spawnSync(process.execPath, ["--enable-source-maps", "--input-type=module", "-e", probe], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\/src\/cli\/replay-main\.ts:\d+:\d+\)/);
  });

  it("--version prints package.json's version, exit 0", () => {
    expect(runMain(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("--help and -h print the usage on stdout, exit 0", () => {
    for (const flag of ["--help", "-h"]) {
      const r = runMain([flag]);
      expect([r.code, r.stderr]).toEqual([0, ""]);
      expect(r.stdout).toMatch(/^usage: mqtt-diagnostics /);
    }
  });

  it("an unknown command: exit 2, one line naming it (then the short usage), no stack trace", () => {
    const r = runMain(["frobnicate"]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.filter((l) => l.includes("frobnicate"))).toEqual(["mqtt-diagnostics: unknown command 'frobnicate'"]);
    expect(lines[0]).toBe("mqtt-diagnostics: unknown command 'frobnicate'");
    expect(lines.slice(1).every((l) => /^(usage: | {7})mqtt-diagnostics /.test(l))).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
  });

  it("stdout piped to a slow reader gets the whole output before the process exits", () => {
    const python = requireTool("python3");
    const whole = runMain(["replay", JOURNAL]);
    expect(whole.code).toBe(0);
    expect(whole.stdout.length).toBeGreaterThan(8 * 4096);
    const slow = spawnSync(python, ["-c", SLOW_READER, process.execPath, MAIN, "replay", JOURNAL], { encoding: "utf8", timeout: 60_000 });
    expect(slow.stderr).toBe("");
    expect(slow.status).toBe(0);
    expect(slow.stdout).toBe(whole.stdout);
    expect((JSON.parse(slow.stdout) as { connection: string }).connection).toBe("demo");
  });
});
