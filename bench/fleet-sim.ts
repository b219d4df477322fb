/**
 * The fleet simulator (issue 23): plays a fleet with a known mix of causes, each timed as AWS
 * times it (test/helpers/fleet-generator.ts), into kinesalite as an IoT rule would write it, reads
 * it back with 1 and then 3 replica processes (dist/bench/kinesis-replica.js), checks each
 * device's cause against what was played, and measures: ingest through kinesalite (records/s, 1
 * and 3 replicas), the parse + apply rate in one process, and RSS with FLEET_DEVICES devices.
 * `npm run bench:fleet`; FLEET_PER_SCENARIO (default 300) devices per cause go through kinesalite.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ManualClock } from "../src/clock.js";
import { FleetState } from "../src/fleet/fleet-state.js";
import { parseFleetPayload } from "../src/fleet/records.js";
import type { FleetSummary } from "../src/fleet/summary.js";
import { fleetPlay } from "../test/helpers/fleet-generator.js";
import { Kinesalite, putRecords } from "../test/helpers/kinesalite.js";

const PER_SCENARIO = Number(process.env["FLEET_PER_SCENARIO"] ?? 300);
const DEVICES = Number(process.env["FLEET_DEVICES"] ?? 100_000);
const REPLICA = fileURLToPath(new URL("./kinesis-replica.js", import.meta.url));

interface ReplicaLine {
  owner: string;
  records_applied: number;
  shards: string[];
  devices: number;
  rss: number;
  summary?: FleetSummary;
}

function records(perScenario: number, seed: number) {
  const play = fleetPlay({ perScenario, seed, evidence: true, duplicateShare: 0.05, shuffle: true });
  const recs = [...play.events.map((e) => ({ clientId: e.clientId, payload: JSON.stringify(e) })), ...play.evidence.map((m) => ({ clientId: m.client_id, payload: JSON.stringify(m) }))];
  return { play, recs };
}

/** Starts `n` replicas on a stream, waits until they applied `total` records; their summaries and the time it took. */
async function ingest(kinesis: Kinesalite, stream: string, n: number, total: number): Promise<{ seconds: number; lines: ReplicaLine[] }> {
  const dir = mkdtempSync(join(tmpdir(), "mde-fleet-sim-"));
  const last = new Map<string, ReplicaLine>();
  const summaries = new Map<string, ReplicaLine>();
  const started = performance.now();
  const children = Array.from({ length: n }, (_, i) => {
    const child = spawn(process.execPath, [REPLICA, kinesis.endpoint, stream, dir, `replica-${i}`, "3000"], { stdio: ["ignore", "pipe", "inherit"] });
    let partial = "";
    child.stdout.on("data", (d: Buffer) => {
      const lines = (partial + d.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const l of lines.filter((x) => x !== "")) {
        const parsed = JSON.parse(l) as ReplicaLine;
        if (parsed.summary !== undefined) summaries.set(`replica-${i}`, parsed);
        else last.set(parsed.owner, parsed);
      }
    });
    return child;
  });
  const applied = () => [...last.values()].reduce((s, l) => s + l.records_applied, 0);
  while (applied() < total) await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(children.map((c) => new Promise((r) => (c.once("exit", r), c.kill("SIGTERM")))));
  rmSync(dir, { recursive: true, force: true });
  return { seconds, lines: [...summaries.values()] };
}

/** Devices whose diagnosed cause is not the one played. */
function wrongCauses(lines: ReplicaLine[], truth: ReadonlyMap<string, string>): string[] {
  const got = new Map<string, string>();
  for (const l of lines) for (const d of l.summary?.devices ?? []) got.set(d.client_id, d.cause);
  return [...truth].filter(([id, cause]) => got.get(id) !== cause).map(([id, cause]) => `${id}: played ${cause}, diagnosed ${got.get(id) ?? "absent"}`);
}

/** Parse + apply in this process: what one replica costs per record without Kinesis; RSS at `devices`. */
function inProcess(devices: number): { records: number; perSecond: number; rssMb: number; heapMb: number; size: number } {
  const { recs } = records(Math.ceil(devices / 7), 7);
  const payloads = recs.map((r) => Buffer.from(r.payload));
  recs.length = 0;
  const state = new FleetState(new ManualClock(0));
  const t0 = performance.now();
  for (const p of payloads) {
    const rec = parseFleetPayload(p, 0);
    if (!("error" in rec)) state.apply(rec);
  }
  const seconds = (performance.now() - t0) / 1000;
  const n = payloads.length;
  payloads.length = 0;
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  return { records: n, perSecond: Math.round(n / seconds), rssMb: Math.round(mem.rss / 2 ** 20), heapMb: Math.round(mem.heapUsed / 2 ** 20), size: state.size };
}

async function main(): Promise<void> {
  console.log(`fleet-sim: ${cpus().length} CPUs, load ${loadavg().map((x) => x.toFixed(1)).join(" ")}, ${PER_SCENARIO} devices per cause through kinesalite, ${DEVICES} in process`);
  const kinesis = await Kinesalite.start();
  const client = kinesis.client();
  try {
    const { play, recs } = records(PER_SCENARIO, 23);
    const rows: string[] = [];
    for (const n of [1, 3]) {
      const stream = `fleet-${n}`;
      await kinesis.createStream(stream, 6);
      await putRecords(client, stream, recs);
      const { seconds, lines } = await ingest(kinesis, stream, n, recs.length);
      const wrong = wrongCauses(lines, play.truth);
      rows.push(`| ${n} | ${recs.length} | ${(recs.length / seconds).toFixed(0)} | ${wrong.length} of ${play.truth.size} |`);
      for (const w of wrong.slice(0, 5)) console.log(`  ${w}`);
    }
    console.log("\n| replicas | records | ingest records/s (through kinesalite) | devices whose cause is not the played one |\n|---|---|---|---|");
    for (const r of rows) console.log(r);
  } finally {
    client.destroy();
    kinesis.stop();
  }
  const local = inProcess(DEVICES);
  console.log(`\nin process: ${local.records} records (${local.size} devices) parsed and applied at ${local.perSecond} records/s; RSS ${local.rssMb} MiB, heap ${local.heapMb} MiB after`);
}

await main();
