/**
 * One fleet replica reading a Kinesis stream (kinesalite in the tests and the fleet bench): a
 * real process, so a test can `kill -9` it. Prints its stats as a JSON line every 100 ms;
 * on SIGTERM it stops (releasing its leases), diagnoses every device, prints a last line (its CPU
 * time including the diagnosis), then its fleet summary and
 * its totals (distinct AWS events, shipped events applied: what a double count would inflate).
 *   node dist/bench/kinesis-replica.js ENDPOINT STREAM LEASE_DIR OWNER [LEASE_MS]
 */
import { ManualClock } from "../src/clock.js";
import { FleetState } from "../src/fleet/fleet-state.js";
import { fleetSummary } from "../src/fleet/summary.js";
import { DirectoryLeaseStore } from "../src/kinesis/directory-lease-store.js";
import { createKinesisClient } from "../src/kinesis/kinesis-client.js";
import { KinesisFleetSource } from "../src/kinesis/kinesis-source.js";

const [endpoint, stream, dir, owner, leaseMs] = process.argv.slice(2);
if (endpoint === undefined || stream === undefined || dir === undefined || owner === undefined) {
  process.stderr.write("usage: kinesis-replica ENDPOINT STREAM LEASE_DIR OWNER [LEASE_MS]\n");
  process.exit(2);
}
const client = createKinesisClient({ region: "us-east-1", endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const state = new FleetState(new ManualClock(Date.now()));
const source = new KinesisFleetSource({
  client,
  stream,
  leases: new DirectoryLeaseStore(dir),
  owner,
  leaseMs: Number(leaseMs ?? 2000),
  idleMs: 50,
  logger: { warn: () => undefined, error: () => undefined },
});
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const report = () =>
  process.stdout.write(`${JSON.stringify({ owner, devices: state.size, rss: process.memoryUsage().rss, cpu_seconds: cpu(), ...source.stats })}\n`);
await source.start(state);
const timer = setInterval(report, 100);
process.on("SIGTERM", () => {
  clearInterval(timer);
  void source.stop().then(() => {
    const summary = fleetSummary(state);
    report();
    let [connects, awsDrops, evidence] = [0, 0, 0];
    for (const { device } of state.devices())
      [connects, awsDrops, evidence] = [connects + device.connects, awsDrops + device.awsDrops, evidence + device.evidenceEvents];
    // Exit once written: a pipe is written asynchronously, and exiting at once would cut the line.
    process.stdout.write(`${JSON.stringify({ summary, totals: { connects, aws_drops: awsDrops, evidence_events: evidence } })}\n`, () => process.exit(0));
  });
});
