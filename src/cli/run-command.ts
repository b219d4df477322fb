import { EXIT_USAGE, UsageError } from "../errors.js";
import type { CommandSpec } from "./flag-table.js";
import { commandHelp } from "./help-text.js";

export type Command = (args: string[]) => Promise<number>;

/** Where a command's help and its one-line usage errors go: the process's stdout and stderr. */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

const PROCESS_OUTPUT: CommandOutput = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** `--help` or `-h`. */
export const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h";

/** `--help` or `-h` among a command's arguments (before a `--`, after which all are operands). */
export function asksHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some(isHelp);
}

/**
 * Runs one named command: its help when asked for (without loading it), else the command loaded
 * by `load`, a UsageError it throws printed as one line prefixed with the command's name (exit 2).
 */
export async function runCommand(spec: CommandSpec, args: string[], load: () => Promise<Command>, output = PROCESS_OUTPUT): Promise<number> {
  if (asksHelp(args)) {
    output.out(`${commandHelp(spec)}\n`);
    return 0;
  }
  try {
    return await (
      await load()
    )(args);
  } catch (err) {
    if (err instanceof UsageError) {
      output.err(`mqtt-diagnostics ${spec.name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
