import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";
import { replayDocument, replayJournal } from "../../src/replay/replay.js";
import { expectReferenceEqual } from "../helpers/reference-compare.js";

// Expected documents come from the original Python module (test/golden/regenerate.sh, test/golden/reference); no Python here.
const dir = fileURLToPath(new URL("../golden/journals/", import.meta.url));
const AT = Date.parse("2026-03-01T18:00:00Z");
const journals = readdirSync(dir).filter((f) => f.endsWith(".jsonl"));

describe("the export equals the original module's export_json()", () => {
  it.each(journals)("%s", async (file) => {
    const name = file.replace(/\.jsonl$/, "");
    const expected: unknown = JSON.parse(readFileSync(`${dir}${name}.expected.json`, "utf8"));
    const result = await replayJournal({ journal: `${dir}${file}`, atMs: AT, ...(name === "retention" ? { maxEvents: 5 } : {}) });
    expectReferenceEqual(replayDocument(result), expected);
  });
});
