/**
 * The fleet simulator (issue 23): plays a fleet with a known mix of causes, each timed as AWS
 * times it (test/helpers/fleet-generator.ts), checks each device's cause against what was played,
 * and measures issue 23's targets in CPU time (events per CPU-second is the honest rate on a
 * shared machine):
 * - in process (one replica's core, no network), `--devices N` (default 100,000): parse + apply +
 *   join per event, RSS and heap at N devices, the fleet's /metrics (series, render CPU time), a
 *   device's detail (CPU time); `--devices 0` leaves this part out;
 * - through kinesalite, `--kinesis-devices N` (default 7,000): 1 replica, 3 replicas, and 3 with
 *   one killed by SIGKILL mid-run: CPU per record per replica, shard balance, total CPU,
 *   kinesalite's own CPU, causes and event totals against the truth (nothing lost, nothing twice).
 * `npm run bench:fleet [-- --devices 100000 --kinesis-devices 7000]`; FLEET_DEVICES and
 * FLEET_KINESIS_DEVICES do the same. With BENCH_RESULTS_DIR set, writes fleet.json for docs:bench.
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { ManualClock } from "../src/clock.js";
import { FleetState } from "../src/fleet/fleet-state.js";
import { parseFleetPayload } from "../src/fleet/records.js";
import { fleetPlay, SCENARIOS } from "../test/helpers/fleet-generator.js";
import { Kinesalite, putRecords } from "../test/helpers/kinesalite.js";
import { inProcess, truthOf } from "./fleet/in-process.js";
import { ingest, type IngestRun } from "./fleet/kinesis-run.js";
import { detailFigures, metricsFigures } from "./fleet/serving.js";
import { benchResults } from "./results.js";

const { values } = parseArgs({ options: { devices: { type: "string" }, "kinesis-devices": { type: "string" } } });
const DEVICES = Number(values.devices ?? process.env["FLEET_DEVICES"] ?? 100_000);
const KINESIS_DEVICES = Number(values["kinesis-devices"] ?? process.env["FLEET_KINESIS_DEVICES"] ?? 7_000);
const SHARDS = 6;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const out = benchResults("fleet", { devices: DEVICES, kinesis_devices: KINESIS_DEVICES, shards: SHARDS });

function inProcessPart(): Promise<string[]> {
  const r = inProcess(DEVICES);
  for (const w of r.wrongSample) console.log(`  ${w}`);
  const perRecordUs = ((r.applyCpu + r.joinCpu) / r.records) * 1e6;
  out.figure({
    id: "fleet-events-per-cpu-second",
    what: "events parsed, applied and joined per CPU-second, one replica's core",
    value: Math.round(r.perCpuSecond),
    unit: "events/CPU-s",
    anchor: { what: "issue 23's target", value: 50_000, unit: "events/s" },
  });
  out.figure({
    id: "fleet-rss",
    what: `RSS after GC with ${r.devices} devices`,
    value: Math.round(r.rssMiB),
    unit: "MiB",
    anchor: { what: "issue 23's target", value: 1024, unit: "MiB" },
  });
  out.figure({ id: "fleet-wrong-causes", what: "devices whose cause is not the played one (in process)", value: r.wrong, unit: "devices" });
  return metricsFigures(r.state).then((m) => {
    const d = detailFigures(r.state, r.clock.now());
    out.figure({
      id: "fleet-metrics-series",
      what: "fleet series on a replica's /metrics",
      value: m.series,
      unit: "series",
      anchor: { what: "issue 23's target", value: 5000, unit: "series" },
    });
    out.figure({
      id: "fleet-metrics-render-ms",
      what: "collect + render the fleet series, CPU (median)",
      value: m.renderMs,
      unit: "ms",
      anchor: { what: "issue 23's target", value: 50, unit: "ms" },
    });
    out.figure({
      id: "fleet-detail-p99-ms",
      what: "a device's detail, built and serialized, CPU (99th percentile)",
      value: d.p99Ms,
      unit: "ms",
      anchor: { what: "issue 23's target", value: 50, unit: "ms" },
    });
    return [
      `| events parsed + applied (${fmt(r.records)} records, ${fmt(r.devices)} devices) | ${fmt((r.applyCpu / r.records) * 1e6, 2)} us CPU per event |`,
      `| join + diagnosis of every device | ${fmt((r.joinCpu / r.devices) * 1e6, 1)} us CPU per device (${fmt((r.joinCpu / r.records) * 1e6, 2)} per event) |`,
      `| **one replica's core: events/s per CPU-second, with the join** (target >= 50,000) | **${fmt(r.perCpuSecond)}** (${fmt(perRecordUs, 2)} us per event) |`,
      `| **RSS with ${fmt(r.devices)} devices**, after GC (target < 1 GB) | **${fmt(r.rssMiB)} MiB** (heap ${fmt(r.heapMiB)} MiB, ${fmt((r.heapMiB * 2 ** 20) / r.devices)} B per device) |`,
      `| **fleet series on /metrics** (target < 5,000) | **${fmt(m.series)}** (${fmt(m.bytes / 1024, 1)} KiB) |`,
      `| **collect + render them**, CPU (target < 50 ms) | **${fmt(m.renderMs, 1)} ms** median, ${fmt(m.renderMaxMs, 1)} ms slowest of 7 |`,
      `| **a device's detail**, built + serialized, CPU (target < 50 ms) | **${fmt(d.medianMs, 2)} ms** median, ${fmt(d.p99Ms, 2)} ms p99, ${fmt(d.maxMs, 2)} ms slowest of ${fmt(d.devices)} |`,
      `| devices whose cause is not the played one | ${fmt(r.wrong)} of ${fmt(r.devices)} (${Object.entries(r.byCause)
        .map(([c, n]) => `${c} ${fmt(n)}`)
        .join(", ")}) |`,
    ];
  });
}

/** The stream's records, and what one state holding all of them says (the totals a double count would inflate). */
function streamRecords() {
  const play = fleetPlay({ perScenario: Math.ceil(KINESIS_DEVICES / SCENARIOS.length), seed: 23, evidence: true, duplicateShare: 0.05, shuffle: true });
  const recs = [
    ...play.events.map((e) => ({ clientId: e.clientId, payload: JSON.stringify(e) })),
    ...play.evidence.map((m) => ({ clientId: m.client_id, payload: JSON.stringify(m) })),
  ];
  const ref = new FleetState(new ManualClock(0));
  for (const r of recs) {
    const rec = parseFleetPayload(r.payload, 0);
    if (!("error" in rec)) ref.apply(rec);
  }
  let [connects, drops, evidence] = [0, 0, 0];
  for (const { device } of ref.devices()) [connects, drops, evidence] = [connects + device.connects, drops + device.awsDrops, evidence + device.evidenceEvents];
  return { recs, devices: play.truth.size, totals: { connects, aws_drops: drops, evidence_events: evidence } };
}

function check(run: IngestRun, devices: number, totals: Record<string, number>): { wrong: number; totalsOk: boolean; seen: number } {
  const causes = new Map<string, string>();
  let dup = 0;
  for (const r of run.replicas) {
    for (const d of r.summary.devices) {
      if (causes.has(d.client_id)) dup++;
      else causes.set(d.client_id, d.cause);
    }
  }
  const wrong = [...causes].filter(([id, c]) => truthOf(id) !== c).length + dup + (devices - causes.size);
  const sum = (k: keyof IngestRun["replicas"][number]["totals"]) => run.replicas.reduce((s, r) => s + r.totals[k], 0);
  const totalsOk = Object.entries(totals).every(([k, v]) => sum(k as keyof IngestRun["replicas"][number]["totals"]) === v);
  return { wrong, totalsOk, seen: causes.size };
}

async function kinesisPart(): Promise<string[]> {
  const kinesis = await Kinesalite.start();
  const client = kinesis.client();
  // Interrupted: kinesalite goes too.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => (kinesis.stop(), process.exit(130)));
  const rows: string[] = [];
  try {
    const { recs, devices, totals } = streamRecords();
    console.log(`kinesalite: ${fmt(recs.length)} records of ${fmt(devices)} devices, ${SHARDS} shards; totals ${JSON.stringify(totals)}`);
    for (const [n, kill] of [
      [1, false],
      [3, false],
      [3, true],
    ] as const) {
      const stream = `fleet-${n}-${kill ? "kill" : "run"}`;
      await kinesis.createStream(stream, SHARDS);
      await putRecords(client, stream, recs);
      const run = await ingest({
        endpoint: kinesis.endpoint,
        stream,
        replicas: n,
        total: recs.length,
        shards: SHARDS,
        devices,
        ...(kill ? { killAt: Math.floor(recs.length / 3) } : {}),
      });
      const c = check(run, devices, totals);
      const cpu = run.replicas.reduce((s, r) => s + r.stats.cpu_seconds, 0);
      const each = run.replicas
        .map(
          (r) =>
            `${r.stats.shards.length} shards, ${fmt(r.stats.records_applied)} records, ${fmt((r.stats.cpu_seconds / Math.max(1, r.stats.records_applied)) * 1e6, 1)} us/record, ${fmt(r.stats.rss / 2 ** 20)} MiB`,
        )
        .join("; ");
      const label = kill ? `${n}, one killed (SIGKILL) after ${fmt(Math.floor(recs.length / 3))} records` : String(n);
      rows.push(
        `| ${label} | ${fmt(recs.length / cpu)} | ${fmt(cpu, 2)} s | ${run.kinesaliteCpu === undefined ? "?" : `${fmt(run.kinesaliteCpu, 1)} s`} | ${each} | ${c.wrong === 0 && c.totalsOk ? "none" : `${c.wrong} devices, totals ${c.totalsOk ? "equal" : "differ"}`} |`,
      );
      out.figure({
        id: `fleet-kinesis-records-per-cpu-second@${n}${kill ? "-kill" : ""}`,
        what: `records per CPU-second of the replicas, ${label}`,
        value: Math.round(recs.length / cpu),
        unit: "records/CPU-s",
      });
      out.figure({
        id: `fleet-kinesis-wrong@${n}${kill ? "-kill" : ""}`,
        what: `devices lost, doubled or wrong, and totals that differ, ${label}`,
        value: c.wrong + (c.totalsOk ? 0 : 1),
        unit: "devices",
      });
      console.log(`  ${label}: ${fmt(run.wallSeconds, 1)} s wall, ${each}`);
    }
  } finally {
    client.destroy();
    kinesis.stop();
  }
  return rows;
}

async function main(): Promise<void> {
  console.log(
    `fleet-sim: ${cpus().length} CPUs, load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}; ${fmt(DEVICES)} devices in process, ${fmt(KINESIS_DEVICES)} through kinesalite`,
  );
  if (DEVICES > 0) {
    const local = await inProcessPart();
    console.log(
      out.table(
        "fleet-in-process",
        ["| in process: one replica's core, no network | figure |", "|---|---|", ...local],
        `One replica's core, ${fmt(DEVICES)} devices (CPU time):`,
      ),
    );
  }
  const rows = await kinesisPart();
  const head = [
    "| replicas | records per CPU-second (all replicas) | replicas' CPU, diagnosis included | kinesalite's CPU | each replica: shards, records applied, CPU per record, RSS | devices lost, doubled or wrong |",
    "|---|---|---|---|---|---|",
  ];
  console.log(`\n${out.table("fleet-kinesis", [...head, ...rows], `Through kinesalite, ${fmt(KINESIS_DEVICES)} devices, ${SHARDS} shards:`)}`);
}

await main();
