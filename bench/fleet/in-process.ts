/**
 * One replica's core without the network (bench:fleet, issue 23): a fleet of `devices` played in
 * chunks (so the bench never holds every record at once and the RSS read after is the state's),
 * each record serialized as Kinesis delivers it (UTF-8 bytes), then parsed and applied, and every
 * device joined and diagnosed. CPU time (process.cpuUsage), not wall time: on a shared machine
 * events per CPU-second is the honest rate.
 */
import { ManualClock } from "../../src/clock.js";
import { FleetState } from "../../src/fleet/fleet-state.js";
import { parseFleetPayload } from "../../src/fleet/records.js";
import { fleetSummary } from "../../src/fleet/summary.js";
import { fleetPlay, SCENARIOS, TRUTH, type Scenario } from "../../test/helpers/fleet-generator.js";

export interface InProcessResult {
  devices: number;
  records: number;
  /** CPU seconds: parse + apply of every record; the join + diagnosis of every device. */
  applyCpu: number;
  joinCpu: number;
  /** Records (events) per CPU-second, parse + apply + join. */
  perCpuSecond: number;
  rssMiB: number;
  heapMiB: number;
  /** Devices whose first cause is not the played one, with the first few. */
  wrong: number;
  wrongSample: string[];
  byCause: Record<string, number>;
  state: FleetState;
  clock: ManualClock;
}

/** CPU seconds (user + system) since `from`. */
export const cpuSince = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};

/** The played cause of a generated device, from its client ID (`SCENARIO-N`). */
export function truthOf(clientId: string): string | undefined {
  const scenario = clientId.slice(0, clientId.lastIndexOf("-")) as Scenario;
  return SCENARIOS.includes(scenario) ? TRUTH[scenario] : undefined;
}

const T0 = 1_780_000_000_000;

export function inProcess(devices: number, chunkPerScenario = 1000): InProcessResult {
  const clock = new ManualClock(T0);
  const state = new FleetState(clock);
  const perScenario = Math.ceil(devices / SCENARIOS.length);
  let records = 0;
  let applyCpu = 0;
  let newest = 0;
  for (let first = 0; first < perScenario; first += chunkPerScenario) {
    const play = fleetPlay({
      perScenario: Math.min(chunkPerScenario, perScenario - first),
      firstIndex: first,
      seed: 23 + first,
      evidence: true,
      duplicateShare: 0.05,
      shuffle: true,
      t0: T0,
    });
    const payloads = [...play.events.map((e) => Buffer.from(JSON.stringify(e))), ...play.evidence.map((m) => Buffer.from(JSON.stringify(m)))];
    for (const e of play.events) newest = Math.max(newest, e.timestamp);
    const cpu = process.cpuUsage();
    for (const p of payloads) {
      const rec = parseFleetPayload(p, T0);
      if (!("error" in rec)) state.apply(rec);
    }
    applyCpu += cpuSince(cpu);
    records += payloads.length;
  }
  clock.set(newest + state.windowMs + 1);
  const cpu = process.cpuUsage();
  state.refresh({ all: true });
  const joinCpu = cpuSince(cpu);
  const summary = fleetSummary(state);
  const wrong = summary.devices.filter((d) => truthOf(d.client_id) !== d.cause);
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  return {
    devices: state.size,
    records,
    applyCpu,
    joinCpu,
    perCpuSecond: records / (applyCpu + joinCpu),
    rssMiB: mem.rss / 2 ** 20,
    heapMiB: mem.heapUsed / 2 ** 20,
    wrong: wrong.length,
    wrongSample: wrong.slice(0, 5).map((d) => `${d.client_id}: played ${truthOf(d.client_id) ?? "?"}, diagnosed ${d.cause}`),
    byCause: summary.devices_by_cause,
    state,
    clock,
  };
}
