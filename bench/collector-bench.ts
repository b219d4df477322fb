/**
 * The collector's cost per event and memory at 10k, 100k and 1M drops, against the original Python
 * module (vendored in test/golden/reference/, see docs/compatibility.md) in the same run, plus replaying a 1M-event journal. `npm run bench:collector`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ManualClock } from "../src/clock.js";
import { MqttDiagnosticsCollector } from "../src/collector/collector.js";
import { replayJournal } from "../src/replay/replay.js";
import { benchResults } from "./results.js";

// Run from dist/bench/: the repository root is two folders up.
const ORIGINAL_DIR = process.env["ORIGINAL_MODULE_DIR"] ?? fileURLToPath(new URL("../../test/golden/reference", import.meta.url));
const WINDOW = 2000;
const results = benchResults("collector", { "pairs timed per history size (success + drop)": WINDOW, clock: "manual, 301 s per pair" });
const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "The connection was closed unexpectedly." };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

/** ns per success+drop pair, timed over WINDOW pairs after `history` drops. */
function ours(history: number): { nsPerPair: number; heapMb: number; rssMb: number } {
  const clock = new ManualClock(1_700_000_000_000);
  const c = new MqttDiagnosticsCollector({ clock, logger: { warn: () => undefined, error: () => undefined } });
  for (let i = 0; i < history; i++) {
    clock.advance(1000);
    c.recordConnectionSuccess({ eventType: "resumed" });
    clock.advance(300_000);
    c.recordConnectionDrop({ error: hangup });
  }
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < WINDOW; i++) {
      clock.advance(1000);
      c.recordConnectionSuccess({ eventType: "resumed" });
      clock.advance(300_000);
      c.recordConnectionDrop({ error: hangup });
    }
    runs.push(Number(process.hrtime.bigint() - t0) / WINDOW);
  }
  globalThis.gc?.();
  const mem = process.memoryUsage();
  return { nsPerPair: median(runs), heapMb: mem.heapUsed / 2 ** 20, rssMb: mem.rss / 2 ** 20 };
}

function original(history: number): { nsPerPair: number; rssMb: number } | undefined {
  try {
    const script = fileURLToPath(new URL("../../bench/original-bench.py", import.meta.url));
    const out = execFileSync("python3", [script, ORIGINAL_DIR, String(history), String(history >= 1_000_000 ? 200 : WINDOW)], { encoding: "utf8" });
    const r = JSON.parse(out) as { ns_per_pair: number; max_rss_mb: number };
    return { nsPerPair: r.ns_per_pair, rssMb: r.max_rss_mb };
  } catch (err) {
    process.stderr.write(`original module bench failed: ${(err as Error).message}\n`);
    return undefined;
  }
}

/** Writes a 1M-event journal (successes, drops, publishes) to a temporary folder. */
function writeMillionEventJournal(): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "mde-bench-"));
  const path = join(dir, "journal.jsonl");
  const lines: string[] = [];
  let t = Date.parse("2026-01-01T00:00:00Z");
  const N = 1_000_000;
  for (let i = 0; i < N; i++) {
    t += 500;
    const ts = new Date(t).toISOString();
    if (i % 4 === 0)
      lines.push(JSON.stringify({ ts, kind: "connection_success", event_type: "resumed", session_present: false, return_code: 0, attempt_number: 1 }));
    else if (i % 4 === 1)
      lines.push(
        JSON.stringify({
          ts,
          kind: "connection_drop",
          error_name: hangup.error_name,
          error_message: hangup.message,
          error_code: 5134,
          reconnect_attempt: 0,
          active_subscriptions: 1,
          queued_commands: 0,
        }),
      );
    else lines.push(JSON.stringify({ ts, kind: "publish", queued: i % 4 === 3 }));
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, dir };
}

async function main(): Promise<void> {
  const rows: string[] = [
    "| drops in history | TS ns/event | original ns/event | ratio (original/TS) | TS heap MB | TS RSS MB | original RSS MB |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const history of [10_000, 100_000, 1_000_000]) {
    const o = ours(history);
    const s = original(history);
    // A pair is two events (a success and a drop).
    const at = { "drops in history": history };
    results.figure({
      id: `ns-per-event@${history}`,
      what: "recording one event",
      value: o.nsPerPair / 2,
      unit: "ns",
      ...(s
        ? { anchor: { what: "the original Python module", value: s.nsPerPair / 2, unit: "ns" }, ratio: s.nsPerPair / o.nsPerPair, ratioOf: "original / ours" }
        : {}),
      conditions: at,
    });
    results.figure({ id: `heap@${history}`, what: "JS heap used", value: o.heapMb, unit: "MB", conditions: at });
    rows.push(
      `| ${history.toLocaleString("en")} | ${(o.nsPerPair / 2).toFixed(0)} | ${s ? (s.nsPerPair / 2).toFixed(0) : "n/a"} | ${s ? (s.nsPerPair / o.nsPerPair).toFixed(0) + "x" : "n/a"} | ${o.heapMb.toFixed(1)} | ${o.rssMb.toFixed(0)} | ${s ? s.rssMb.toFixed(0) : "n/a"} |`,
    );
  }
  process.stdout.write(`${results.table("per-event", rows)}\n\n`);
  const { path, dir } = writeMillionEventJournal();
  const t0 = performance.now();
  const result = await replayJournal({ journal: path });
  const seconds = (performance.now() - t0) / 1000;
  results.figure({
    id: "replay-1m",
    what: "replayJournal of a 1,000,000-event journal, in process",
    value: seconds,
    unit: "s",
    conditions: { lines: result.stats.lines },
  });
  process.stdout.write(
    `${results.table("replay-1m", [`replay of a 1,000,000-event journal: ${seconds.toFixed(2)} s (${result.stats.lines.toLocaleString("en")} lines, target < 3 s)`])}\n`,
  );
  rmSync(dir, { recursive: true, force: true });
}

await main();
