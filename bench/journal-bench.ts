/**
 * What the journal costs: recording with a JournalWriter attached against recording without one
 * (same run, same events), the writer's throughput with and without rotation, and restoring a
 * 1M-event journal the writer produced (target < 3 s). `npm run bench:journal`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../src/clock.js";
import type { MqttDiagnosticsCollector } from "../src/collector/collector.js";
import { CollectorRegistry } from "../src/collector/registry.js";
import { journalFiles } from "../src/journal/files.js";
import { restoreJournal } from "../src/journal/restore.js";
import { JournalWriter } from "../src/journal/writer.js";
import { benchResults } from "./results.js";

const silent = { warn: () => undefined, error: () => undefined };
const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "The connection was closed unexpectedly." };
const REPEATS = Number(process.env["BENCH_REPEATS"] ?? 5);
const bench = benchResults("journal", { "interleaved repeats (median)": REPEATS, "events per recording run": 200_000 });

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

/** One event of a realistic mix: a session with publishes, ended by a drop, then a resume. */
function recordOne(c: MqttDiagnosticsCollector, clock: ManualClock, i: number): void {
  clock.advance(250);
  switch (i & 7) {
    case 0:
      c.recordConnectionSuccess({ eventType: "resumed", sessionPresent: true, returnCode: 0, attemptNumber: 1 });
      return;
    case 7:
      c.recordConnectionDrop({ error: hangup, activeSubscriptions: 2 });
      return;
    default:
      c.recordPublish(i % 5 === 0);
  }
}

interface RecordRun {
  nsPerEvent: number;
  /** From the first append to close() resolving: every line on disk. */
  linesPerSecond: number;
  files: number;
}

async function recordWith(events: number, journal: { maxBytes: number; retainFiles: number } | null, dir: string): Promise<RecordRun> {
  const clock = new ManualClock(Date.parse("2026-03-01T00:00:00Z"));
  const registry = new CollectorRegistry({ clock, logger: silent });
  const path = join(dir, `journal-${Math.random().toString(36).slice(2)}.jsonl`);
  const writer = journal === null ? null : new JournalWriter({ path, ...journal, logger: silent, clock });
  writer?.attach(registry);
  const c = registry.getOrCreate("device-1");
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < events; i++) {
    recordOne(c, clock, i);
    // The service's event loop gets to flush between bursts; so does the bench.
    if (writer !== null && (i & 0x3fff) === 0x3fff) await new Promise<void>((r) => setImmediate(r));
  }
  const recorded = process.hrtime.bigint();
  await writer?.close();
  const done = process.hrtime.bigint();
  if (writer !== null && writer.writeErrors > 0) throw new Error(`journal write errors: ${writer.writeErrors}`);
  return {
    nsPerEvent: Number(recorded - t0) / events,
    linesPerSecond: events / (Number(done - t0) / 1e9),
    files: writer === null ? 0 : (await journalFiles(path)).length,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mde-journal-bench-"));
  try {
    const EVENTS = 200_000;
    const cases: [string, { maxBytes: number; retainFiles: number } | null][] = [
      ["collector alone", null],
      ["+ journal (64 MiB files)", { maxBytes: 64 * 2 ** 20, retainFiles: 5 }],
      ["+ journal (1 MiB files, rotating)", { maxBytes: 2 ** 20, retainFiles: 3 }],
    ];
    const results = new Map<string, RecordRun[]>();
    // Interleaved repeats, so machine noise hits every case alike.
    for (let r = 0; r < REPEATS; r++) {
      for (const [name, journal] of cases) {
        const list = results.get(name) ?? [];
        list.push(await recordWith(EVENTS, journal, dir));
        results.set(name, list);
      }
    }
    const base = median((results.get("collector alone") ?? []).map((x) => x.nsPerEvent));
    const rows = [
      "| recording 200k events (mix: 1 success, 6 publishes, 1 drop per 8) | ns/event | vs collector alone | lines on disk /s | files |",
      "|---|---|---|---|---|",
    ];
    for (const [name] of cases) {
      const runs = results.get(name) ?? [];
      const ns = median(runs.map((x) => x.nsPerEvent));
      const lps = median(runs.map((x) => x.linesPerSecond));
      bench.figure({
        id: `record:${name}`,
        what: `recording an event, ${name}`,
        value: ns,
        unit: "ns",
        anchor: { what: "collector alone", value: base, unit: "ns" },
        ratio: ns / base,
        ratioOf: "this / collector alone",
      });
      rows.push(
        `| ${name} | ${ns.toFixed(0)} | ${(ns / base).toFixed(2)}x | ${name === "collector alone" ? "—" : Math.round(lps).toLocaleString("en")} | ${runs[0]?.files ?? 0} |`,
      );
    }
    process.stdout.write(`${bench.table("recording", rows)}\n\n`);

    // Restore: a 1M-event journal written by the writer itself, two connections, no rotation.
    const path = join(dir, "million.jsonl");
    const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const live = new CollectorRegistry({ clock, logger: silent });
    const writer = new JournalWriter({ path, maxBytes: 2 ** 40, logger: silent, clock });
    writer.attach(live);
    const devices = [live.getOrCreate("default"), live.getOrCreate("device-2")];
    for (let i = 0; i < 1_000_000; i++) {
      recordOne(devices[i & 1] as MqttDiagnosticsCollector, clock, i >> 1);
      if ((i & 0xffff) === 0xffff) await writer.flush();
    }
    await writer.close();
    const times: number[] = [];
    let rss = 0;
    for (let r = 0; r < Math.max(3, REPEATS); r++) {
      const restored = new CollectorRegistry({ clock, logger: silent });
      const t0 = performance.now();
      const stats = await restoreJournal(path, restored, { logger: silent });
      times.push((performance.now() - t0) / 1000);
      rss = Math.max(rss, process.memoryUsage().rss);
      if (stats.lines !== 1_000_000 || stats.skipped !== 0) throw new Error(`restore read ${stats.lines} lines, skipped ${stats.skipped}`);
      const same = JSON.stringify(restored.get("device-2")?.export()) === JSON.stringify(live.get("device-2")?.export());
      if (!same) throw new Error("restored state differs from the live collector's");
    }
    const s = median(times);
    bench.figure({
      id: "restore-1m",
      what: "restoreJournal of a 1,000,000-line journal, median",
      value: s,
      unit: "s",
      conditions: { lines: 1_000_000, connections: 2 },
    });
    const restore =
      `| restore of a 1,000,000-line journal (writer's output, 2 connections) | seconds | lines/s | vs the 3 s target | peak RSS MB |\n|---|---|---|---|---|\n` +
      `| restoreJournal | ${s.toFixed(2)} | ${Math.round(1e6 / s).toLocaleString("en")} | ${(3 / s).toFixed(1)}x faster | ${(rss / 2 ** 20).toFixed(0)} |`;
    process.stdout.write(`${bench.table("restore", restore.split("\n"))}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
