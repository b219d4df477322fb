/**
 * bench:fleet through kinesalite: replica processes (dist/bench/kinesis-replica.js) read one
 * stream until every record is applied, then stop; their CPU time (each reports its own
 * process.cpuUsage, the diagnosis of its devices included), shards, records, RSS, summaries and
 * totals, and kinesalite's own CPU time meanwhile (from /proc).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FleetSummary } from "../../src/fleet/summary.js";

const REPLICA = fileURLToPath(new URL("../kinesis-replica.js", import.meta.url));

export interface ReplicaStats {
  owner: string;
  records_applied: number;
  shards: string[];
  devices: number;
  rss: number;
  cpu_seconds: number;
  checkpoints: number;
  caught_up: string[];
}

export interface ReplicaEnd {
  stats: ReplicaStats;
  summary: FleetSummary;
  totals: { connects: number; aws_drops: number; evidence_events: number };
}

export interface IngestRun {
  wallSeconds: number;
  replicas: ReplicaEnd[];
  /** kinesalite's CPU seconds while the replicas read (undefined where /proc is not). */
  kinesaliteCpu: number | undefined;
}

const TICKS = 100;
const DEADLINE_MS = 600_000;

/** User + system CPU seconds of the process listening as kinesalite on `port`, from /proc. */
export function kinesaliteCpu(port: string): number | undefined {
  try {
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (!cmd.some((a) => a.includes("kinesalite")) || cmd[cmd.indexOf("--port") + 1] !== port) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      return (Number(fields[11]) + Number(fields[12])) / TICKS;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function lines(child: ChildProcess, onLine: (value: Record<string, unknown>) => void): void {
  let partial = "";
  child.stdout?.on("data", (d: Buffer) => {
    const all = (partial + d.toString()).split("\n");
    partial = all.pop() ?? "";
    for (const l of all) if (l !== "") onLine(JSON.parse(l) as Record<string, unknown>);
  });
}

export interface IngestOptions {
  endpoint: string;
  stream: string;
  replicas: number;
  total: number;
  leaseMs?: number;
  /** Kills (SIGKILL) replica 0 once the replicas together applied this many records; the others take its shards. */
  killAt?: number;
  /** The stream's shards and distinct devices (when a replica is killed: what the survivors must end up holding). */
  shards: number;
  devices: number;
}

/** Starts the replicas on a stream, waits until they applied `total` records, stops them (SIGTERM). */
export async function ingest(o: IngestOptions): Promise<IngestRun> {
  const dir = mkdtempSync(join(tmpdir(), "mde-fleet-sim-"));
  const port = new URL(o.endpoint).port;
  const cpu0 = kinesaliteCpu(port);
  const last = new Map<number, ReplicaStats>();
  const ends = new Map<number, ReplicaEnd>();
  const started = performance.now();
  let killed: number | undefined;
  let stopping = false;
  const children = Array.from({ length: o.replicas }, (_, i) => {
    const child = spawn(process.execPath, [REPLICA, o.endpoint, o.stream, dir, `replica-${i}`, String(o.leaseMs ?? 3000)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let end: Partial<ReplicaEnd> = {};
    lines(child, (v) => {
      // The shards it held while reading (a stopped replica has released them).
      if ("summary" in v)
        ends.set(i, {
          stats: { ...(end as { stats: ReplicaStats }).stats, shards: last.get(i)?.shards ?? [] },
          summary: v["summary"] as FleetSummary,
          totals: v["totals"] as ReplicaEnd["totals"],
        });
      else {
        if (!stopping) last.set(i, v as unknown as ReplicaStats);
        end = { stats: v as unknown as ReplicaStats };
      }
    });
    return child;
  });
  const alive = () => [...last].filter(([i]) => i !== killed).map(([, l]) => l);
  const applied = () => alive().reduce((sum, l) => sum + l.records_applied, 0);
  // Done when the live replicas hold every shard, each read up to now, every device, and applied
  // nothing new for half a second (records applied alone cannot tell: a killed replica's records
  // since its checkpoint are read again).
  let still = 0;
  let before = -1;
  const done = () => {
    const caughtUp = new Set(alive().flatMap((l) => l.caught_up)).size;
    const devices = alive().reduce((sum, l) => sum + l.devices, 0);
    still = applied() === before ? still + 1 : 0;
    before = applied();
    // After a kill, what the dead replica checkpointed is not read again: the total is not reached.
    return (killed !== undefined || applied() >= o.total) && caughtUp === o.shards && devices === o.devices && still >= 5;
  };
  for (;;) {
    if (o.killAt !== undefined && killed === undefined && applied() >= o.killAt) {
      killed = 0;
      children[0]?.kill("SIGKILL");
    }
    if (done()) break;
    if (performance.now() - started > DEADLINE_MS) {
      for (const c of children) c.kill("SIGKILL");
      throw new Error(`${o.stream}: not done after ${DEADLINE_MS / 1000} s: ${JSON.stringify(alive())}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu1 = kinesaliteCpu(port);
  stopping = true;
  await Promise.all(children.filter((_, i) => i !== killed).map((c) => new Promise((r) => (c.once("close", r), c.kill("SIGTERM")))));
  rmSync(dir, { recursive: true, force: true });
  return { wallSeconds, replicas: [...ends.values()], kinesaliteCpu: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}
