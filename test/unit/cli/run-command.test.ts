import { describe, expect, it } from "vitest";
import { EXIT_USAGE, UsageError } from "../../../src/errors.js";
import { commandHelp } from "../../../src/cli/help-text.js";
import { REPLAY } from "../../../src/cli/replay-options.js";
import { asksHelp, isHelp, runCommand, type Command } from "../../../src/cli/run-command.js";

/** The command's output, kept. */
function capture() {
  const text = { out: "", err: "" };
  return { text, output: { out: (t: string) => void (text.out += t), err: (t: string) => void (text.err += t) } };
}

describe("runCommand: one command, its help and its usage errors", () => {
  it("--help and -h, anywhere before `--`, ask for the command's help", () => {
    expect([isHelp("--help"), isHelp("-h"), isHelp("--helpful"), isHelp(undefined)]).toEqual([true, true, false, false]);
    expect(asksHelp(["journal.jsonl", "-h"])).toBe(true);
    expect(asksHelp(["--", "--help"])).toBe(false);
    expect(asksHelp(["journal.jsonl"])).toBe(false);
  });

  it("prints the help without loading the command, exit 0", async () => {
    const { text, output } = capture();
    let loaded = false;
    const code = await runCommand(REPLAY, ["x", "--help"], () => ((loaded = true), Promise.resolve(() => Promise.resolve(1))), output);
    expect([code, loaded, text]).toEqual([0, false, { out: `${commandHelp(REPLAY)}\n`, err: "" }]);
  });

  it("returns the command's own exit code, given its arguments", async () => {
    const seen: string[][] = [];
    const command: Command = (args) => (seen.push(args), Promise.resolve(0));
    expect(await runCommand(REPLAY, ["a.jsonl", "--format", "text"], () => Promise.resolve(command), capture().output)).toBe(0);
    expect(seen).toEqual([["a.jsonl", "--format", "text"]]);
  });

  it("a UsageError is one line naming the command, exit 2; any other error is thrown", async () => {
    const { text, output } = capture();
    const usage: Command = () => Promise.reject(new UsageError("expects exactly one JOURNAL path"));
    expect(await runCommand(REPLAY, [], () => Promise.resolve(usage), output)).toBe(EXIT_USAGE);
    expect(text).toEqual({ out: "", err: "mqtt-diagnostics replay: expects exactly one JOURNAL path\n" });
    const broken: Command = () => Promise.reject(new RangeError("bug"));
    await expect(runCommand(REPLAY, [], () => Promise.resolve(broken), output)).rejects.toThrow("bug");
  });
});
