import { flagWithValue, type CommandSpec, type FlagSpec } from "./flag-table.js";

const PROGRAM = "mqtt-diagnostics";
/** Help lines are wrapped to fit an 100-column terminal. */
const WIDTH = 100;

/**
 * Markdown as a terminal shows it: no backticks, a link by its text, and a link alone in
 * parentheses (`([settings](configuration.md))`, a pointer to a topic doc) by the doc's path.
 */
export function plain(markdown: string): string {
  return markdown
    .replace(/\(\[[^\]]*\]\(([^)#]*)[^)]*\)\)/g, "(see docs/$1)")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`/g, "");
}

/** A summary as a sentence: capitalised, with a full stop. */
export function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Terms and their texts in two columns, the texts wrapped and aligned. */
export function twoColumns(rows: [term: string, text: string][]): string[] {
  const column = Math.max(...rows.map(([term]) => term.length)) + 4;
  return rows.flatMap(([term, text]) =>
    wrap(text.split(" "), WIDTH - column, "").map((line, i) => (i === 0 ? `  ${term}`.padEnd(column) : " ".repeat(column)) + line),
  );
}

/** Words joined into lines of at most `width` characters, every line after the first indented. */
export function wrap(words: string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** The command's synopsis as words: `mqtt-diagnostics`, `replay`, `JOURNAL`, `[--at ISO]`, … (or `[FLAGS]` when brief). */
function synopsis(spec: CommandSpec, brief: boolean): string[] {
  const name = spec.isDefault === true ? `[${spec.name}]` : spec.name;
  const flags = brief ? ["[FLAGS]"] : Object.entries(spec.flags).map(([n, f]) => `[${flagWithValue(n, f)}]`);
  return [PROGRAM, name, ...(spec.operands !== undefined ? [spec.operands] : []), ...flags];
}

/** The command's usage, wrapped, continuation lines aligned after the program name; `lead` starts the first line. */
export function usageLines(spec: CommandSpec, lead = "", brief = false): string[] {
  return wrap([`${lead}${PROGRAM}`, ...synopsis(spec, brief).slice(1)], WIDTH, " ".repeat(lead.length + PROGRAM.length + 1));
}

/**
 * The usage of every command: with every flag for `--help`, or one line a command (`[FLAGS]`)
 * after a mistake, where the message must stay short.
 */
export function globalUsage(commands: readonly CommandSpec[], brief = false): string {
  const lines = commands.flatMap((c, i) => usageLines(c, i === 0 ? "usage: " : "       ", brief));
  return [...lines, `       ${PROGRAM} [COMMAND] --help | --version`].join("\n");
}

function flagText(flag: FlagSpec): string {
  const notes = [
    flag.choices !== undefined && flag.value !== undefined ? `one of: ${flag.choices.join(", ")}` : undefined,
    flag.default !== undefined ? `default: ${flag.default}` : flag.absent !== undefined ? `absent: ${plain(flag.absent)}` : undefined,
  ].filter((n) => n !== undefined);
  return `${plain(flag.description)}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`;
}

/** `mqtt-diagnostics COMMAND --help`: the usage, what the command does and each flag. */
export function commandHelp(spec: CommandSpec): string {
  const flags = twoColumns(Object.entries(spec.flags).map(([n, f]) => [flagWithValue(n, f), flagText(f)]));
  return [...usageLines(spec, "usage: "), "", ...wrap(sentence(plain(spec.summary)).split(" "), WIDTH, ""), "", "flags:", ...flags].join("\n");
}

/** `mqtt-diagnostics --help`: every command's usage and what it does. */
export function globalHelp(commands: readonly CommandSpec[]): string {
  const summaries = twoColumns(commands.map((c) => [c.name, `${plain(c.summary)}${c.isDefault === true ? " (the default)" : ""}`]));
  return [globalUsage(commands), "", "commands:", ...summaries, "", `'${PROGRAM} COMMAND --help' describes a command's flags.`].join("\n");
}
