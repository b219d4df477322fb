import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { blockMarkers, CLI_DOC_BLOCKS, cliReference, replaceBlock } from "../../../src/cli/cli-doc.js";
import { COMMANDS } from "../../../src/cli/commands.js";

const read = (file: string) => readFileSync(new URL(`../../../${file}`, import.meta.url), "utf8");

describe("the CLI's docs", () => {
  it.each(CLI_DOC_BLOCKS.map(([file, marker, content]) => [file, marker, content]))(
    "%s's %s block is what the flag tables generate (run `npm run docs:cli`)",
    (file, marker, content) => {
      const text = read(file);
      const { begin, end } = blockMarkers(marker);
      expect(text.slice(text.indexOf(begin) + begin.length, text.indexOf(end))).toBe(content());
    },
  );

  it("has a table row for every flag of every command, with its default", () => {
    const doc = cliReference();
    for (const c of COMMANDS) {
      expect(doc).toContain(`### \`${c.name}\``);
      for (const [name, flag] of Object.entries(c.flags)) {
        expect(doc).toMatch(new RegExp(`^\\| \`--${name.replace(/\./g, "\\.")}[ \`]`, "m"));
        if (flag.default !== undefined) expect(doc).toContain(`| \`${flag.default}\` |`);
      }
    }
    expect(doc).toContain("| `--format json\\|text` |");
  });

  it("replaces only what is between the markers, and refuses a file without them", () => {
    const { begin, end } = blockMarkers("x");
    expect(replaceBlock(`a\n${begin}old\n${end}\nb`, "x", "new\n")).toBe(`a\n${begin}new\n${end}\nb`);
    expect(() => replaceBlock("no markers", "x", "")).toThrow(/no x markers/);
  });
});
