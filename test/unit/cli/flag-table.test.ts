import { describe, expect, it } from "vitest";
import { checkChoice, choiceList, flagWithValue, parseArgsOptions, parseCommandArgs, type CommandSpec } from "../../../src/cli/flag-table.js";
import { UsageError } from "../../../src/errors.js";

const flags = {
  level: { type: "string", value: "LEVEL", default: "info", choices: ["info", "debug", "trace"], description: "how much" },
  format: { type: "string", default: "json", choices: ["json", "text"], description: "output" },
  file: { type: "string", value: "FILE", description: "a file" },
  quiet: { type: "boolean", description: "say less" },
} as const;
const withOperand: CommandSpec<typeof flags> = { name: "x", operands: "INPUT", summary: "x", flags };
const withoutOperand: CommandSpec<typeof flags> = { name: "y", summary: "y", flags };

describe("flag tables", () => {
  it("give parseArgs each flag's type and, where there is one, its default: nothing else", () => {
    expect(parseArgsOptions(flags)).toEqual({
      level: { type: "string", default: "info" },
      format: { type: "string", default: "json" },
      file: { type: "string" },
      quiet: { type: "boolean" },
    });
  });

  it("parse strictly: defaults applied, operands only where the command takes them", () => {
    const { values, positionals } = parseCommandArgs(withOperand, ["in.txt", "--file", "f", "--quiet"]);
    expect(values).toEqual({ level: "info", format: "json", file: "f", quiet: true });
    expect(positionals).toEqual(["in.txt"]);
    expect(() => parseCommandArgs(withoutOperand, ["in.txt"])).toThrow(UsageError);
  });

  it.each([
    [["--bogus"], /Unknown option '--bogus'/],
    [["--file"], /--file <value>' argument missing/],
  ])("%j is a UsageError with parseArgs' message", (args, message) => {
    expect(() => parseCommandArgs(withOperand, args)).toThrow(UsageError);
    expect(() => parseCommandArgs(withOperand, args)).toThrow(message);
  });

  it("show a flag with its placeholder, or its choices when it has none", () => {
    expect([flagWithValue("level", flags.level), flagWithValue("format", flags.format), flagWithValue("quiet", flags.quiet)]).toEqual([
      "--level LEVEL",
      "--format json|text",
      "--quiet",
    ]);
  });

  it("refuse a value outside the choices in one line naming the flag", () => {
    expect(checkChoice("format", flags.format, "text")).toBe("text");
    expect(() => checkChoice("format", flags.format, "xml")).toThrow(new UsageError("--format: 'xml' must be json or text"));
    expect(() => checkChoice("level", flags.level, "loud")).toThrow(new UsageError("--level: 'loud' must be one of info, debug, trace"));
    expect(choiceList(["a", "b"])).toBe("a or b");
  });
});
