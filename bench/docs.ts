/**
 * docs/benchmarks.md's figures, regenerated from a run's results: each section between
 * `<!-- bench:begin NAME -->` and `<!-- bench:end NAME -->` is rewritten with the conditions
 * line and the tables bench NAME printed (`targets` and `targets-24`: issues 15's and 24's targets
 * tables, each once every bench it reads ran). Everything outside the markers, the prose explaining each figure and each gap,
 * is kept byte for byte; a section whose bench did not run in these results is left as it was.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describeRun, type BenchResults, type ResultsByBench } from "./results.js";
import { TARGET_BENCHES, targetsReport } from "./targets.js";
import { TARGET_24_BENCHES, targets24Report } from "./targets-24.js";

export const TARGETS_SECTION = "targets";
/** The sections that are an issue's targets table: each rewritten once every bench it reads ran. */
const TARGET_SECTIONS: ReadonlyMap<string, { benches: readonly string[]; report: (r: ResultsByBench) => string[] }> = new Map([
  [TARGETS_SECTION, { benches: TARGET_BENCHES, report: targetsReport }],
  ["targets-24", { benches: TARGET_24_BENCHES, report: targets24Report }],
]);
// A marker is a line of its own: one quoted in prose (`<!-- bench:begin NAME -->`) is not one.
const SECTION = /^<!-- bench:begin ([\w-]+) -->\n[\s\S]*?^<!-- bench:end ([\w-]+) -->$/gm;
const BEGIN = /^<!-- bench:begin ([\w-]+) -->$/gm;

export interface Regenerated {
  text: string;
  rewritten: string[];
  /** Sections left as they were, with the reason. */
  skipped: string[];
}

function benchSection(r: BenchResults): string[] {
  const out = [describeRun(r)];
  for (const t of r.tables) out.push("", ...(t.title === undefined ? [] : [t.title, ""]), ...t.lines);
  return out;
}

/** The section's new body, or why it cannot be written from these results. */
function body(name: string, results: ResultsByBench): string[] | string {
  const targets = TARGET_SECTIONS.get(name);
  if (targets !== undefined) {
    const missing = targets.benches.filter((b) => !results.has(b));
    return missing.length === 0 ? targets.report(results) : `${missing.map((b) => `bench:${b}`).join(", ")} did not run`;
  }
  const r = results.get(name);
  return r === undefined ? `bench:${name} did not run` : benchSection(r);
}

/** `text` with every section whose results are at hand regenerated; `source` names the results. */
export function regenerateDocs(text: string, results: ResultsByBench, source: string): Regenerated {
  const rewritten: string[] = [];
  const skipped: string[] = [];
  const begins = [...text.matchAll(BEGIN)].length;
  let sections = 0;
  const out = text.replace(SECTION, (whole, name: string, end: string) => {
    sections++;
    if (name !== end) throw new Error(`docs: section '${name}' ends with the marker of '${end}'`);
    const b = body(name, results);
    if (typeof b === "string") {
      skipped.push(`${name} (${b})`);
      return whole;
    }
    rewritten.push(name);
    const note = `<!-- generated from ${source} by \`npm run docs:bench\`: edit the prose outside the bench markers, not this -->`;
    // The blank line ends the last table before the marker (else a renderer may read it as a row).
    return [`<!-- bench:begin ${name} -->`, note, ...b, "", `<!-- bench:end ${name} -->`].join("\n");
  });
  if (sections !== begins) throw new Error(`docs: ${begins - sections} bench:begin marker(s) without their bench:end`);
  return { text: out, rewritten, skipped };
}

/** Rewrites `docPath` from `results` (read from `source`); returns what was rewritten and skipped. */
export function writeDocs(docPath: string, results: ResultsByBench, source: string): Regenerated {
  const r = regenerateDocs(readFileSync(docPath, "utf8"), results, source);
  writeFileSync(docPath, r.text);
  return r;
}

/** One line saying what `writeDocs` did. */
export const regeneratedSummary = (r: Regenerated): string =>
  `docs/benchmarks.md: rewrote ${r.rewritten.join(", ") || "nothing"}${r.skipped.length ? `; left as they were: ${r.skipped.join(", ")}` : ""}`;
