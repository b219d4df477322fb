import { parseArgs } from "node:util";
import { UsageError } from "../errors.js";

/**
 * One flag of a command, declared once: node:util parseArgs' options, the `--help` text and
 * docs/cli.md's flag tables are all derived from it, so the three never disagree. Texts are
 * Markdown (links, `code`); the help text prints them plain.
 */
export interface FlagSpec {
  readonly type: "string" | "boolean";
  /** The value's placeholder in usage lines (`FILE`); without one, the choices joined by `|`. */
  readonly value?: string;
  /** The value parseArgs gives when the flag is absent. */
  readonly default?: string;
  /** What applies when the flag is absent and it has no default value. */
  readonly absent?: string;
  /** The only values accepted (checked by the command with checkChoice). */
  readonly choices?: readonly string[];
  readonly description: string;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

export interface CommandSpec<T extends FlagTable = FlagTable> {
  readonly name: string;
  /** The command run when none is named (its name is optional in its usage line). */
  readonly isDefault?: boolean;
  /** The positional arguments as the usage line shows them (`JOURNAL`, `[FILE]`), or none. */
  readonly operands?: string;
  /** One line: what the command does. */
  readonly summary: string;
  readonly flags: T;
}

/** parseArgs' option config for a table, typed so that a flag with a default is never undefined. */
export type ParseArgsOptions<T extends FlagTable> = {
  [K in keyof T]: { type: T[K]["type"] } & (T[K] extends { default: infer D } ? { default: D } : unknown);
};

export function parseArgsOptions<T extends FlagTable>(flags: T): ParseArgsOptions<T> {
  const entries = Object.entries(flags).map(([name, f]) => [name, f.default === undefined ? { type: f.type } : { type: f.type, default: f.default }]);
  return Object.fromEntries(entries) as ParseArgsOptions<T>;
}

type ParsedArgs<T extends FlagTable> = ReturnType<typeof parseArgs<{ args: string[]; strict: true; allowPositionals: true; options: ParseArgsOptions<T> }>>;

/**
 * The command's arguments parsed strictly against its table: an unknown flag, a missing value or
 * an operand the command does not take is a UsageError (one line, exit 2).
 */
export function parseCommandArgs<T extends FlagTable>(spec: CommandSpec<T>, args: string[]): ParsedArgs<T> {
  try {
    return parseArgs({ args, strict: true, allowPositionals: spec.operands !== undefined, options: parseArgsOptions(spec.flags) });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The flag as usage lines show it: `--at ISO`, `--format json|text`. */
export function flagWithValue(name: string, flag: FlagSpec): string {
  if (flag.type === "boolean") return `--${name}`;
  return `--${name} ${flag.value ?? flag.choices?.join("|") ?? "VALUE"}`;
}

/** "json or text", "one of fatal, error, warn": how an error message lists the accepted values. */
export function choiceList(choices: readonly string[]): string {
  return choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(", ")}`;
}

/** Refuses a value outside the flag's choices: `--format: 'xml' must be json or text`. */
export function checkChoice<C extends string>(name: string, flag: { readonly choices?: readonly C[] }, value: string): C {
  const choices = flag.choices ?? [];
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${name}: '${value}' must be ${choiceList(choices)}`);
  return value as C;
}
