// Regenerates the CLI's synopsis and flag tables in README.md and docs/cli.md from the commands' flag tables (run after `npm run build`).
import { readFileSync, writeFileSync } from "node:fs";
import { URL } from "node:url";
import { CLI_DOC_BLOCKS, replaceBlock } from "../dist/src/cli/cli-doc.js";

for (const [file, marker, content] of CLI_DOC_BLOCKS) {
  const path = new URL(`../${file}`, import.meta.url);
  writeFileSync(path, replaceBlock(readFileSync(path, "utf8"), marker, content()));
}
