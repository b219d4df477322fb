/**
 * The lifecycle join's cost (issue 20): the join is applied as events arrive, so the request
 * path only reads it. Measures, in this process:
 * - applying 50,000 sessions (success, drop, AWS's connected and disconnected: 200,000 retained
 *   events, `max_events_retained` 200,000) and then GET `/`, GET `/diagnostics.json?limit=1000`,
 *   GET `/healthz` and the diagnosis through the real app (Fastify inject);
 * - `replay` of 100,000 drops with 200,000 AWS events from a file (in process, and the whole
 *   `mqtt-diagnostics replay` process);
 * - a `/metrics` scrape after 20,000 lifecycle events of foreign sessions.
 * Medians of BENCH_REPS runs (default 5). `npm run bench:join`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ManualClock } from "../src/clock.js";
import type { LifecycleEvent } from "../src/aws-join/events.js";
import { CollectorRegistry } from "../src/collector/registry.js";
import { createDiagnoser } from "../src/diagnosis/diagnoser.js";
import { diagnose } from "../src/diagnosis/engine.js";
import { historyOf } from "../src/diagnosis/history.js";
import { connectedEvent, disconnectedEvent } from "../src/emulator/lifecycle-events.js";
import { buildApp } from "../src/http/app.js";
import type { JournalEvent } from "../src/journal/events.js";
import { createTelemetry } from "../src/metrics/telemetry.js";
import { replayDocument, replayJournal } from "../src/replay/replay.js";
import { benchResults } from "./results.js";

const REPS = Number(process.env["BENCH_REPS"] ?? 5);
const MAIN = fileURLToPath(new URL("../cli/main.js", import.meta.url));
const T0 = Date.parse("2026-03-01T00:00:00Z");
const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
/** This process's CPU time (ms) spent while measuring, beside the wall time: on a loaded machine, the CPU figure is the cost. */
const cpuSpent: Record<string, number[]> = {};
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function ms<T>(fn: () => T, label?: string): [number, T] {
  const [t0, c0] = [process.hrtime.bigint(), cpuNow()];
  const out = fn();
  if (label !== undefined) (cpuSpent[label] ??= []).push(cpuNow() - c0);
  return [Number(process.hrtime.bigint() - t0) / 1e6, out];
}
async function msAsync<T>(fn: () => Promise<T>, label?: string): Promise<[number, T]> {
  const [t0, c0] = [process.hrtime.bigint(), cpuNow()];
  const out = await fn();
  if (label !== undefined) (cpuSpent[label] ??= []).push(cpuNow() - c0);
  return [Number(process.hrtime.bigint() - t0) / 1e6, out];
}

/** `n` sessions of 5 minutes: the client's lines and AWS's events (AWS's clock 2 s ahead, its disconnect 30 s after the drop). */
function sessions(n: number): { lines: JournalEvent[]; events: LifecycleEvent[] } {
  const lines: JournalEvent[] = [];
  const events: LifecycleEvent[] = [];
  for (let i = 0; i < n; i++) {
    const start = T0 + i * 302_000;
    const facts = { clientId: "dev-1", sessionIdentifier: `s-${i}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: i + 1 };
    lines.push({
      ts: new Date(start).toISOString(),
      kind: "connection_success",
      event_type: "connected",
      session_present: false,
      return_code: 0,
      attempt_number: 1,
      keep_alive_seconds: 240,
      client_id: "dev-1",
    });
    lines.push({
      ts: new Date(start + 300_000).toISOString(),
      kind: "connection_drop",
      error_name: "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT",
      error_message: "x",
      error_code: 5152,
      reconnect_attempt: 0,
      active_subscriptions: 1,
      queued_commands: 0,
    });
    events.push(connectedEvent(facts, start + 2_040), disconnectedEvent(facts, start + 332_000, "MQTT_KEEP_ALIVE_TIMEOUT"));
  }
  return { lines, events };
}

async function requestPath(): Promise<Record<string, number>> {
  const clock = new ManualClock(T0);
  const registry = new CollectorRegistry({ clock, maxEventsRetained: 200_000, logger: quiet });
  const c = registry.getOrCreate("dev-1");
  const { lines, events } = sessions(50_000);
  const [applyMs] = ms(() => {
    let e = 0;
    for (const line of lines) {
      c.apply(line);
      // AWS's events arrive as the observer gets them: the connect just after the success, the close 30 s after the drop.
      if (line.kind === "connection_drop") {
        c.apply({ ts: line.ts, kind: "lifecycle", ...(events[e++] as LifecycleEvent) } as unknown as JournalEvent);
        c.apply({ ts: line.ts, kind: "lifecycle", ...(events[e++] as LifecycleEvent) } as unknown as JournalEvent);
      }
    }
  });
  clock.set(T0 + 50_000 * 302_000 + 600_000);
  const diagnoser = createDiagnoser(registry);
  const telemetry = createTelemetry({
    registry,
    serviceVersion: "bench",
    cacheMaxAgeMs: 0,
    diagnosisSource: (n) => diagnoser(n)?.findings ?? [],
    journalStats: { writeErrors: () => 0 },
  });
  const app = await buildApp({ registry, telemetry, logger: false, maxEventsRetained: 200_000, diagnoser });
  const out: Record<string, number> = { "apply 200,000 events (µs per event)": (applyMs * 1000) / 200_000 };
  for (const [name, url] of [
    ["GET / (ms)", "/"],
    ["GET /diagnostics.json?limit=1000 (ms)", "/diagnostics.json?limit=1000"],
    ["GET /healthz (ms)", "/healthz"],
    ["GET /metrics (ms)", "/metrics"],
  ] as const) {
    const runs: number[] = [];
    for (let i = 0; i < REPS; i++) {
      c.recordPublish(); // a change, so nothing is served from a cache
      runs.push((await msAsync(() => app.inject({ url }), name))[0]);
    }
    out[name] = median(runs);
  }
  out["diagnose(historyOf) (ms)"] = median(Array.from({ length: REPS }, () => ms(() => diagnose(historyOf(c)), "diagnose(historyOf) (ms)")[0]));
  await app.close();
  await telemetry.shutdown();
  return out;
}

async function replayCost(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "mde-join-bench-"));
  try {
    const { lines, events } = sessions(100_000);
    const journal = join(dir, "journal.jsonl");
    const lifecycle = join(dir, "lifecycle.jsonl");
    writeFileSync(journal, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    writeFileSync(lifecycle, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
    const inProcess: number[] = [];
    const whole: number[] = [];
    for (let i = 0; i < REPS; i++) {
      inProcess.push(
        (
          await msAsync(
            async () => replayDocument(await replayJournal({ journal, lifecycle, logger: quiet })),
            "replay 100,000 drops + 200,000 AWS events, in process (ms)",
          )
        )[0],
      );
      whole.push(ms(() => spawnSync(process.execPath, [MAIN, "replay", journal, "--lifecycle", lifecycle], { maxBuffer: 64 << 20 }))[0]);
    }
    return { "replay 100,000 drops + 200,000 AWS events, in process (ms)": median(inProcess), "replay ..., whole process (ms)": median(whole) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function flood(): Promise<Record<string, number>> {
  const clock = new ManualClock(T0);
  const registry = new CollectorRegistry({ clock, logger: quiet });
  const c = registry.getOrCreate("dev-1");
  c.recordConnectionSuccess({ clientId: "dev-1" });
  const [feedMs] = ms(() => {
    for (let i = 0; i < 20_000; i++) {
      clock.advance(10);
      c.recordLifecycleEvent(
        connectedEvent({ clientId: "dev-1", sessionIdentifier: `f-${i}`, principalIdentifier: "x", ipAddress: "203.0.113.9", versionNumber: i }, clock.now()),
      );
    }
  });
  clock.advance(60_000);
  c.settleLifecycle();
  const telemetry = createTelemetry({ registry, serviceVersion: "bench", cacheMaxAgeMs: 0, journalStats: { writeErrors: () => 0 } });
  const app = await buildApp({ registry, telemetry, logger: false });
  const runs: number[] = [];
  for (let i = 0; i < REPS; i++) {
    c.recordPublish();
    runs.push((await msAsync(() => app.inject({ url: "/metrics" }), "GET /metrics after them (ms)"))[0]);
  }
  await app.close();
  await telemetry.shutdown();
  return { "20,000 foreign lifecycle events (µs per event)": (feedMs * 1000) / 20_000, "GET /metrics after them (ms)": median(runs) };
}

const figures = { ...(await requestPath()), ...(await replayCost()), ...(await flood()) };
console.log(
  `join bench: ${REPS} runs each (medians), node ${process.version}, ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(`${"".padEnd(64)} ${"wall".padStart(9)} ${"cpu".padStart(9)}`);
for (const [k, v] of Object.entries(figures)) {
  const cpu = cpuSpent[k];
  console.log(`${k.padEnd(64)} ${v.toFixed(k.includes("µs") ? 2 : 1).padStart(9)} ${(cpu ? median(cpu).toFixed(1) : "").padStart(9)}`);
}
// The same figures in the run's results, so docs/benchmarks.md's section is regenerated, never pasted.
const results = benchResults("join", { "runs per figure (medians)": REPS, "retained events": "200,000 (100,000 drops + 200,000 AWS events for replay)" });
results.table("join", [
  "| figure | wall | CPU |",
  "|---|---|---|",
  ...Object.entries(figures).map(([k, v]) => {
    const cpu = cpuSpent[k];
    return `| ${k} | ${v.toFixed(k.includes("µs") ? 2 : 1)} | ${cpu ? median(cpu).toFixed(1) : ""} |`;
  }),
]);
