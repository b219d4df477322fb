import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../../helpers/cli.js";

// `replay` has its own entry (bundled alone by the build); the dispatcher runs it too. Both must
// say exactly the same thing: the shipped bin's `replay` against the dispatcher's, built, unbundled.
const RUN_CLI = fileURLToPath(new URL("../../../dist/src/cli/run-cli.js", import.meta.url));
const DISPATCH = `const { runCli } = await import(process.argv[1]);
const code = await runCli(process.argv.slice(2));
process.stdout.write("", () => process.exit(code));`;
const golden = fileURLToPath(new URL("../../golden/journals/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "mde-replay-main-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const empty = join(dir, "empty.jsonl");
writeFileSync(empty, "");
const corrupt = join(dir, "corrupt.jsonl");
writeFileSync(corrupt, `not json\n${'{"ts":"2026-03-01T12:00:00.000Z","kind":"nonsense"}\n'.repeat(12)}`);

function dispatched(args: string[]) {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", DISPATCH, RUN_CLI, "replay", ...args], { encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("replay's own entry", () => {
  it.each([
    ["a journal, JSON", [`${golden}storm.jsonl`, "--at", "2026-03-01T18:00:00Z"]],
    ["a journal, text", [`${golden}publishes.jsonl`, "--format", "text"]],
    ["retention", [`${golden}retention.jsonl`, "--max-events", "5"]],
    ["--help", ["--help"]],
    ["help after an operand", [`${golden}storm.jsonl`, "-h"]],
    ["no operand", []],
    ["an unknown flag", [`${golden}storm.jsonl`, "--bogus"]],
    ["an empty journal", [empty]],
    ["no valid line", [corrupt]],
    ["a missing journal", [join(dir, "missing.jsonl")]],
  ])("%s: the same output and exit code as the dispatcher's", (_what, args) => {
    const ours = runMain(["replay", ...args]);
    expect(ours).toEqual(dispatched(args));
    expect(ours.stderr).not.toMatch(/\n\s+at /);
  });
});
