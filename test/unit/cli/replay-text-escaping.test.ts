import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../../helpers/cli.js";
import { JournalBuilder } from "../../helpers/journal-builder.js";

const dir = mkdtempSync(join(tmpdir(), "mde-replay-escape-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What a terminal acts on (C0 but the newline, DEL, C1) or hides (line separators, bidi overrides).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("replay --format text with control characters in the journal and in AWS's events", () => {
  it("prints every field with its control characters escaped, visibly", () => {
    const b = new JournalBuilder();
    for (let i = 0; i < 4; i++) {
      b.success().wait(300).drop("hangup").aws("DUPLICATE_CLIENTID", -200).wait(2);
    }
    b.success();
    const forged = b.lines.map((l) => ({ ...l, connection: "heater\u202e1" }));
    for (const l of forged) if (l["kind"] === "connection_drop") Object.assign(l, { error_name: "AWS_IO_\u001b[2J\u009b31m", error_message: "closed\r\u2028" });
    const path = join(dir, "forged.jsonl");
    writeFileSync(path, forged.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const r = runMain(["replay", path, "--format", "text", "--at", new Date(b.t + 60_000).toISOString()]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain("Connection: heater\\u202e1");
    expect(r.stdout).toContain("AWS_IO_\\x1b[2J\\x9b31m: 4");
  });
});
