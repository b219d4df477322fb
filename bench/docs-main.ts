/**
 * `npm run docs:bench [-- DIR]`: regenerates docs/benchmarks.md's figures from a results folder
 * of `npm run bench` (default: the newest under bench-results/). Runs no benchmark.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { regeneratedSummary, writeDocs } from "./docs.js";
import { newestResultsDir, readResults, resultsRoot, shownPath } from "./results.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const given = process.argv[2];
const dir = given === undefined ? newestResultsDir(resultsRoot()) : resolve(given);
if (dir === undefined || !existsSync(dir)) {
  process.stderr.write(
    `${dir === undefined ? "no results under bench-results/: run `npm run bench` first, or give a results folder" : `no results folder ${given}`}\n`,
  );
  process.exit(2);
}
const results = readResults(dir, (m) => process.stderr.write(`${m}\n`));
const r = writeDocs(join(ROOT, "docs/benchmarks.md"), results, shownPath(ROOT, dir));
process.stdout.write(`${regeneratedSummary(r)}\n`);
