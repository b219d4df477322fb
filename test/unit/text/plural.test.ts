import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { diagnose } from "../../../src/diagnosis/engine.js";
import { historyOf } from "../../../src/diagnosis/history.js";
import { plural } from "../../../src/text/plural.js";
import { JournalBuilder } from "../../helpers/journal-builder.js";
import { runMain } from "../../helpers/cli.js";

describe("plural", () => {
  it.each([
    [0, "0 drops"],
    [1, "1 drop"],
    [2, "2 drops"],
  ])("%i", (n, text) => expect(plural(n, "drop")).toBe(text));
  it("takes an irregular plural", () => expect(plural(1, "drop or failed attempt", "drops or failed attempts")).toBe("1 drop or failed attempt"));
});

describe("no '1 drops' in text for people", () => {
  it("check-config of one connection says '1 connection'", () => {
    const dir = mkdtempSync(join(tmpdir(), "mde-plural-"));
    try {
      writeFileSync(join(dir, "one.yml"), "connections:\n  - { endpoint: h, client_id: c }\n");
      const r = runMain(["check-config", join(dir, "one.yml")]);
      expect(r.stdout).toMatch(/valid \(1 connection\)\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a diagnosis of one drop says 'only 1 drop or failed attempt and 1 connection'", () => {
    const b = new JournalBuilder().success().wait(30).drop("hangup");
    const d = diagnose(historyOf(b.collector()));
    expect(d.note).toMatch(/^only 1 drop or failed attempt and 1 connection:/);
  });

  it("no source string puts a count before a fixed plural noun (use plural())", () => {
    const src = fileURLToPath(new URL("../../../src/", import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith(".ts") ? [join(dir, n)] : []));
    // `${x.length} drops`, `${n} failed attempts`: counts that can be 1. Units (ms, s, bytes) and
    // bounds that are never 1 (limits, maxima) are not counts of things that happened.
    const count =
      /\$\{(?:[a-zA-Z.]+\.length|[a-z]+)\} (?:[a-zA-Z]+ )?(?:drops|connections|sessions|attempts|errors|packets|reconnects|reconnections|lines|files|events|warnings|causes)\b/;
    const offenders = files(src).flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .map((line, i) => [line, i] as const)
        .filter(([line]) => count.test(line))
        .map(([line, i]) => `${f}:${i + 1}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
