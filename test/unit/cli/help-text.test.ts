import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../../src/cli/commands.js";
import { flagWithValue } from "../../../src/cli/flag-table.js";
import { commandHelp, globalHelp, globalUsage, plain, sentence, twoColumns, usageLines, wrap } from "../../../src/cli/help-text.js";
import { CHECK_CONFIG } from "../../../src/cli/check-config-options.js";
import { REPLAY } from "../../../src/cli/replay-options.js";
import { SERVE } from "../../../src/cli/serve-options.js";
import { runMain } from "../../helpers/cli.js";

describe("help text", () => {
  it("prints Markdown plain: links to topic docs by path, other links by text, no backticks", () => {
    expect(plain("the YAML file ([settings](configuration.md))")).toBe("the YAML file (see docs/configuration.md)");
    expect(plain("play it ([dashboards](dashboards.md#the-demo))")).toBe("play it (see docs/dashboards.md)");
    expect(plain("see [the demo](dashboards.md) and `code`")).toBe("see the demo and code");
    expect(sentence("read a file")).toBe("Read a file.");
  });

  it("wraps words to the width, continuation lines indented", () => {
    expect(wrap(["aaa", "bbb", "ccc", "ddd"], 8, "  ")).toEqual(["aaa bbb", "  ccc", "  ddd"]);
    expect(
      twoColumns([
        ["--a", "x"],
        ["--long", "y"],
      ]),
    ).toEqual(["  --a     x", "  --long  y"]);
  });

  it("keeps every line within 100 columns", () => {
    const all = [globalHelp(COMMANDS), ...COMMANDS.map(commandHelp)].join("\n").split("\n");
    expect(all.filter((l) => l.length > 100)).toEqual([]);
  });

  it("shows every flag of a command in its usage and its help, with its default or what applies without it", () => {
    for (const c of COMMANDS) {
      const usage = usageLines(c).join(" ").replace(/\s+/g, " ");
      const help = commandHelp(c).replace(/\s+/g, " ");
      for (const [name, flag] of Object.entries(c.flags)) {
        expect(usage).toContain(`[${flagWithValue(name, flag)}]`);
        expect(help).toContain(flagWithValue(name, flag));
        if (flag.default !== undefined) expect(help).toContain(`default: ${flag.default}`);
      }
    }
  });

  it("starts with every command's usage, the default one first", () => {
    const usage = globalUsage(COMMANDS);
    expect(usage).toMatch(/^usage: mqtt-diagnostics \[serve\] \[--config FILE\]/);
    expect(usage).toContain("\n       mqtt-diagnostics replay JOURNAL [--at ISO]");
    expect(usage).toContain("\n       mqtt-diagnostics check-config [FILE] [--web.config.file FILE]");
    expect(globalHelp(COMMANDS).startsWith(usage)).toBe(true);
    // After a mistake: one line a command, so the message stays short.
    expect(globalUsage(COMMANDS, true).split("\n")).toEqual([
      "usage: mqtt-diagnostics [serve] [FLAGS]",
      "       mqtt-diagnostics replay JOURNAL [FLAGS]",
      "       mqtt-diagnostics fleet [FLAGS]",
      "       mqtt-diagnostics fleet-replay FILE [FLAGS]",
      "       mqtt-diagnostics check-config [FILE] [FLAGS]",
      "       mqtt-diagnostics [COMMAND] --help | --version",
    ]);
  });

  it.each([[["replay", "--help"]], [["replay", "-h"]], [["help", "replay"]], [["replay", "journal.jsonl", "--at", "x", "--help"]]])(
    "%j prints replay's help, exit 0",
    (args) => {
      const r = runMain(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${commandHelp(REPLAY)}\n`);
    },
  );

  it("`--help` of serve and check-config print theirs; `--help` after `--` is an operand", () => {
    expect(runMain(["serve", "--help"]).stdout).toBe(`${commandHelp(SERVE)}\n`);
    expect(runMain(["--config", "x.yml", "--help"]).stdout).toBe(`${commandHelp(SERVE)}\n`);
    expect(runMain(["check-config", "--help"]).stdout).toBe(`${commandHelp(CHECK_CONFIG)}\n`);
    expect(runMain(["replay", "--", "--help"]).stderr).toMatch(/^mqtt-diagnostics replay: .*--help/);
  });
});
