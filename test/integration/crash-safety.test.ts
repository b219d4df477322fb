import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { restoreJournal } from "../../src/journal/restore.js";

const dir = mkdtempSync(join(tmpdir(), "mde-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dist = (p: string) => fileURLToPath(new URL(`../../dist/src/${p}`, import.meta.url));

// A recorder process: restores the journal, then records drops and successes as fast as it can,
// flushing every 20 ms and reporting how many lines are on disk and the drop total it has.
const RECORDER = `
import { CollectorRegistry } from ${JSON.stringify(dist("collector/registry.js"))};
import { restoreJournal } from ${JSON.stringify(dist("journal/restore.js"))};
import { JournalWriter } from ${JSON.stringify(dist("journal/writer.js"))};
const path = process.argv[1];
const registry = new CollectorRegistry({ logger: { warn() {}, error() {} } });
await restoreJournal(path, registry, { logger: { warn() {}, error() {} } });
const writer = new JournalWriter({ path, maxBytes: 64 * 1024, retainFiles: 1000, flushIntervalMs: 20, logger: { warn() {}, error() {} } });
writer.attach(registry);
const c = registry.getOrCreate("default");
const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" };
setInterval(async () => {
  for (let i = 0; i < 200; i++) { c.recordConnectionSuccess({ eventType: "resumed" }); c.recordConnectionDrop({ error: hangup }); }
  const drops = c.totals.total_connection_drops;
  await writer.flush();
  process.stdout.write("flushed " + drops + "\\n");
}, 5);
`;

function runAndKill(path: string, afterMs: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", RECORDER, path], { stdio: ["ignore", "pipe", "inherit"] });
    let lastFlushed = 0;
    child.stdout.on("data", (d: Buffer) => {
      const m = /flushed (\d+)\n(?![\s\S]*flushed)/.exec(d.toString());
      if (m) lastFlushed = Number(m[1]);
      if (lastFlushed > 0 && !child.killed) setTimeout(() => child.kill("SIGKILL"), afterMs);
    });
    child.once("exit", () => resolve(lastFlushed));
  });
}

describe("kill -9 while recording", () => {
  it("loses nothing that was flushed; counters continue; a torn last line is skipped", async () => {
    const path = join(dir, "journal.jsonl");
    let previous = 0;
    for (const afterMs of [37, 111, 263]) {
      const flushed = await runAndKill(path, afterMs);
      // A crash mid-write may leave half a line: make sure one is there every time.
      appendFileSync(path, '{"ts":"2026-03-01T12:00:00.000Z","kind":"connection_dr');
      const warnings: string[] = [];
      const registry = new CollectorRegistry({ logger: { warn: () => undefined, error: () => undefined } });
      const stats = await restoreJournal(path, registry, { logger: { warn: (_o, m) => warnings.push(String(m)), error: () => undefined } });
      const drops = registry.get("default")?.totals.total_connection_drops ?? 0;
      expect(drops).toBeGreaterThanOrEqual(flushed);
      expect(drops).toBeGreaterThan(previous);
      expect(stats.skipped).toBeGreaterThanOrEqual(1);
      expect(warnings.some((w) => w.includes("journal"))).toBe(true);
      previous = drops;
    }
  }, 60_000);
});
