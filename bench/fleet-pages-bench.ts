/**
 * The fleet's pages at 100,000 devices: the status page's fleet section and `/fleet` (six hours
 * of cause samples), their size and CPU time per rendering. `npm run bench:fleet-pages`.
 */
import { ManualClock } from "../src/clock.js";
import { FleetState } from "../src/fleet/fleet-state.js";
import { parseFleetPayload } from "../src/fleet/records.js";
import { CAUSE_HISTORY_SAMPLES, CauseHistory } from "../src/http/routes/cause-history.js";
import { fleetPageHtml } from "../src/http/routes/fleet-page.js";
import { fleetStatusSection } from "../src/http/routes/fleet-status.js";
import { fleetPlay, SCENARIOS } from "../test/helpers/fleet-generator.js";
import { benchResults } from "./results.js";

const DEVICES = Number(process.env["MDE_FLEET_PAGES_DEVICES"] ?? 100_000);
const RUNS = 20;
const clock = new ManualClock(1_780_000_000_000 + 7_200_000);
const state = new FleetState(clock);
const play = fleetPlay({ perScenario: Math.ceil(DEVICES / SCENARIOS.length), evidence: true, seed: 7 });
for (const m of [...play.events, ...play.evidence]) {
  const record = parseFleetPayload(JSON.stringify(m), clock.now());
  if (!("error" in record)) state.apply(record);
}
state.refresh({ all: true });
const history = new CauseHistory();
for (let i = CAUSE_HISTORY_SAMPLES; i > 0; i--) history.sample(clock.now() - i * history.intervalMs, state.devicesByCause);

/** CPU milliseconds per rendering (user + system: the machine is shared) and the rendering's length. */
function cpuPerRender(render: () => string): { ms: number; bytes: number } {
  let bytes = Buffer.byteLength(render());
  const start = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) bytes = Buffer.byteLength(render());
  const used = process.cpuUsage(start);
  return { ms: Number(((used.user + used.system) / 1000 / RUNS).toFixed(1)), bytes };
}

const section = cpuPerRender(() => fleetStatusSection(state));
const page = cpuPerRender(() => fleetPageHtml(state, history));
const results = benchResults("fleet-pages", { devices: state.size, runs: RUNS, samples: history.samples().length });
results.figure({ id: "status-section-cpu", what: "status page's fleet section, CPU per rendering", value: section.ms, unit: "ms" });
results.figure({ id: "status-section-bytes", what: "status page's fleet section, size", value: section.bytes, unit: "bytes" });
results.figure({ id: "fleet-page-cpu", what: "/fleet, CPU per rendering", value: page.ms, unit: "ms" });
results.figure({ id: "fleet-page-bytes", what: "/fleet, size", value: page.bytes, unit: "bytes" });
process.stdout.write(
  `${results.table("fleet pages", [
    `${state.size} devices: status page's fleet section ${section.bytes} bytes, ${section.ms} ms CPU per rendering; /fleet with ${history.samples().length} cause samples ${page.bytes} bytes, ${page.ms} ms CPU (mean of ${RUNS})`,
  ])}\n`,
);
