/**
 * GET / (the status page) against a restored journal (issue 20: under 200 ms with 200,000
 * retained events): restores a journal the way the service starts (restoreJournal), serves the
 * real app (Fastify inject), and times GET / and each part of it (the diagnosis, the lifecycle
 * view, the drop table's AWS cells, the timeline), CPU and wall, so what dominates shows.
 *
 * `npm run bench:status-page` builds a journal of 100,000 sessions (100,000 drops, 200,000 AWS
 * lifecycle events); `npm run bench:status-page -- FILE` restores FILE instead (e.g. the demo's
 * data/demo-journal.jsonl). Medians of BENCH_REPS runs (default 5).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../src/clock.js";
import { CollectorRegistry } from "../src/collector/registry.js";
import { createDiagnoser } from "../src/diagnosis/diagnoser.js";
import { connectedEvent, disconnectedEvent } from "../src/emulator/lifecycle-events.js";
import { buildApp } from "../src/http/app.js";
import { lifecycleHtml, serverReasonCell } from "../src/http/routes/lifecycle-html.js";
import { TIMELINE_MAX_EVENTS, timelineSvg } from "../src/http/routes/timeline.js";
import { restoreJournal } from "../src/journal/restore.js";
import { createTelemetry } from "../src/metrics/telemetry.js";
import { benchResults } from "./results.js";

const REPS = Number(process.env["BENCH_REPS"] ?? 5);
const SESSIONS = 100_000;
const T0 = Date.parse("2026-03-01T00:00:00Z");
const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Wall and CPU (ms) of `fn`, medians of REPS runs; `before` runs first each time, unmeasured. */
async function timed(fn: () => unknown, before: () => void = () => undefined): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPS; i++) {
    before();
    const [t0, c0] = [process.hrtime.bigint(), cpuNow()];
    await fn();
    walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
    cpu.push(cpuNow() - c0);
  }
  return { wall: median(walls), cpu: median(cpu) };
}

/** 100,000 sessions of 5 minutes: success, drop (ping timeout), AWS's connected and its keep-alive expiry 30 s after the drop. */
function journalText(): string {
  const out: string[] = [];
  const line = (o: object) => out.push(JSON.stringify({ connection: "dev-1", ...o }));
  for (let i = 0; i < SESSIONS; i++) {
    const start = T0 + i * 302_000;
    const facts = { clientId: "dev-1", sessionIdentifier: `s-${i}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: i + 1 };
    line({
      ts: new Date(start).toISOString(),
      kind: "connection_success",
      event_type: "connected",
      session_present: false,
      return_code: 0,
      attempt_number: 1,
      keep_alive_seconds: 240,
      client_id: "dev-1",
    });
    line({ ts: new Date(start + 20).toISOString(), kind: "lifecycle", ...connectedEvent(facts, start + 10) });
    line({
      ts: new Date(start + 300_000).toISOString(),
      kind: "connection_drop",
      error_name: "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT",
      error_message: "x",
      error_code: 5152,
      reconnect_attempt: 0,
      active_subscriptions: 1,
      queued_commands: 0,
    });
    line({ ts: new Date(start + 300_900).toISOString(), kind: "lifecycle", ...disconnectedEvent(facts, start + 300_880, "MQTT_KEEP_ALIVE_TIMEOUT") });
  }
  return out.join("\n") + "\n";
}

async function bench(path: string, what: string): Promise<void> {
  const clock = new ManualClock(T0);
  const registry = new CollectorRegistry({ clock, maxEventsRetained: 400_000, logger: quiet });
  const [r0, rc0] = [process.hrtime.bigint(), cpuNow()];
  const stats = await restoreJournal(path, registry, { logger: quiet });
  const restoreMs = Number(process.hrtime.bigint() - r0) / 1e6;
  const restoreCpu = cpuNow() - rc0;
  clock.set((stats.lastEventMs ?? T0) + 600_000);
  for (const c of registry.all()) c.settleLifecycle();
  const diagnoser = createDiagnoser(registry);
  const telemetry = createTelemetry({ registry, serviceVersion: "bench", cacheMaxAgeMs: 0, journalStats: { writeErrors: () => 0 } });
  const app = await buildApp({ registry, telemetry, logger: false, maxEventsRetained: 400_000, diagnoser });
  const all = registry.all();
  const change = () => {
    for (const c of all) c.recordPublish(); // a change, so nothing is served from a cache
  };
  const rows: [string, { wall: number; cpu: number }][] = [];
  rows.push(["restore the journal", { wall: restoreMs, cpu: restoreCpu }]);
  // The first request after the restore pays for compiling the code it runs: the diagnosis alone, then the page.
  rows.push(["  the diagnoses (first)", await timedOnce(() => Promise.resolve(all.map((c) => diagnoser(c.connection))))]);
  change();
  rows.push(["GET / (first)", await timedOnce(() => app.inject({ url: "/" }))]);
  rows.push(["GET /", await timed(() => app.inject({ url: "/" }), change)]);
  rows.push(["GET / unchanged (diagnosis cached)", await timed(() => app.inject({ url: "/" }))]);
  rows.push(["  the diagnoses", await timed(() => all.map((c) => diagnoser(c.connection)), change)]);
  rows.push(["  the lifecycle views", await timed(() => all.map((c) => lifecycleHtml(c)), change)]);
  rows.push(["  the drop tables' AWS cells", await timed(() => all.map((c) => c.getRecentDrops(10).map((d) => serverReasonCell(c, d))), change)]);
  rows.push([
    "  the timelines",
    await timed(
      () =>
        all.map((c) =>
          timelineSvg({
            connection: c.connection,
            connections: c.getRecentConnections(TIMELINE_MAX_EVENTS),
            drops: c.getRecentDrops(TIMELINE_MAX_EVENTS),
            stops: [],
            connected: c.isConnected,
            nowMs: clock.now(),
          }),
        ),
      change,
    ),
  ]);
  const healthz: number[] = [];
  rows.push([
    "GET / with GET /healthz beside it",
    await timed(async () => {
      const page = app.inject({ url: "/" });
      healthz.push((await timedOnce(() => app.inject({ url: "/healthz" }))).wall);
      await page;
    }, change),
  ]);
  rows.push(["  GET /healthz's own wall time", { wall: median(healthz), cpu: Number.NaN }]);
  const retained = all.reduce((n, c) => n + c.getRecentDrops(1e9).length, 0);
  const joined = all.reduce((n, c) => n + c.getRecentDrops(10).filter((d) => c.serverReasonOf(d) !== null).length, 0);
  console.log(
    `status page bench, ${what}: ${stats.lines} journal lines, ${retained} drops retained, ${joined} of the page's last drops with AWS's reason; ${REPS} runs each (medians), node ${process.version}, ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const results = benchResults("status-page", { journal: what, "journal lines": stats.lines, "drops retained": retained, "runs per row (medians)": REPS });
  const ms = (v: number) => (Number.isNaN(v) ? "—" : v.toFixed(1));
  for (const [id, v] of [
    ["first", rows.find(([k]) => k === "GET / (first)")],
    ["warm", rows.find(([k]) => k === "GET /")],
  ] as const) {
    if (v !== undefined) results.figure({ id: `get-root-${id}-wall`, what: `GET / (${id}) wall`, value: v[1].wall, unit: "ms" });
  }
  console.log(
    results.table("status page", ["| what | wall ms | CPU ms |", "|---|---|---|", ...rows.map(([k, v]) => `| ${k.trim()} | ${ms(v.wall)} | ${ms(v.cpu)} |`)]),
  );
  await app.close();
  await telemetry.shutdown();
}

async function timedOnce(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const [t0, c0] = [process.hrtime.bigint(), cpuNow()];
  await fn();
  return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: cpuNow() - c0 };
}

const file = process.argv[2];
if (file !== undefined) await bench(file, file);
else {
  const dir = mkdtempSync(join(tmpdir(), "mde-status-bench-"));
  try {
    const path = join(dir, "journal.jsonl");
    writeFileSync(path, journalText());
    await bench(path, `${SESSIONS.toLocaleString("en")} drops + ${(2 * SESSIONS).toLocaleString("en")} AWS events`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
