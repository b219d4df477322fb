import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVICE_LINKS } from "../../dashboards/src/device-fleet-dashboard.js";
import { DEVICE_FLEET_DASHBOARDS } from "../../dashboards/src/generate.js";
import { dashboardExpressions, metricNamesIn, toRunnable } from "../../dashboards/src/promql.js";
import { fleetRoutes } from "../../src/http/fleet-plugin.js";
import { createTelemetry, type Telemetry } from "../../src/metrics/telemetry.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { fleetReplica, type FleetReplica } from "../helpers/fleet-telemetry.js";
import { pollUntil } from "../helpers/poll.js";
import { startPrometheus, type PrometheusServer } from "../helpers/prometheus.js";

const expressions = Object.entries(DEVICE_FLEET_DASHBOARDS).flatMap(([name, build]) =>
  dashboardExpressions(build()).map((e) => ({ ...e, where: `${name} ${e.where}` })),
);

interface Replica {
  t: TestApp;
  telemetry: Telemetry;
  fleet: FleetReplica;
  host: string;
}
/** Two replicas of fleet mode, each with its own devices (as the readers of different shards have), scraped by one Prometheus job. */
const replicas: Replica[] = [];
let prom: PrometheusServer;

async function startReplica(perScenario: number, seed: number): Promise<Replica> {
  let telemetry: Telemetry | undefined;
  let fleet: FleetReplica | undefined;
  const t = await startTestApp([], (registry) => {
    const own = createTelemetry({ registry, serviceVersion: "0.0.0-test", cacheMaxAgeMs: 0 });
    const f = fleetReplica(own, { perScenario, seed });
    [telemetry, fleet] = [own, f];
    return { telemetry: own, plugins: [async (app) => void (await app.register(fleetRoutes, { state: f.state, clock: f.clock }))] };
  });
  if (telemetry === undefined || fleet === undefined) throw new Error("replica not built");
  const host = new URL(await t.app.listen({ port: 0, host: "127.0.0.1" })).host;
  return { t, telemetry, fleet, host };
}

beforeAll(async () => {
  replicas.push(await startReplica(2, 3), await startReplica(3, 4));
  prom = await startPrometheus(replicas.map((r) => r.host));
  // Two scrapes of each replica after the start: rate() and increase() need two samples.
  await pollUntil(
    async () => {
      const r = await prom.query("count_over_time(mqtt_fleet_connected_devices[1m])");
      return r.length === 2 && r.every((s) => Number(s.value[1]) >= 2) ? true : undefined;
    },
    "two scrapes of both replicas",
    60_000,
    250,
  );
}, 120_000);

afterAll(async () => {
  await prom?.stop();
  for (const r of replicas) {
    r.fleet.detach();
    await r.t.close();
    await r.telemetry.shutdown();
  }
});

describe("the device fleet dashboard against a real Prometheus scraping two fleet replicas", () => {
  it("uses only metric names the replicas expose", async () => {
    const body = (await replicas[0]!.t.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(expressions.length).toBeGreaterThan(15);
    for (const e of expressions) for (const metric of metricNamesIn(e.expr)) expect(body, `${e.where}: ${metric}`).toMatch(new RegExp(`^${metric}[{ ]`, "m"));
  });

  it.each(expressions.map((e) => [e.where, e] as const))("%s returns data", async (_where, e) => {
    const result = await prom.query(toRunnable(e.expr));
    expect(result.length, toRunnable(e.expr)).toBeGreaterThan(0);
  });

  it("sums over the replicas: the fleet's devices and connected devices are both replicas' together", async () => {
    const size = replicas.reduce((n, r) => n + r.fleet.state.size, 0);
    const connected = replicas.reduce((n, r) => n + [...r.fleet.state.devices()].filter((d) => d.device.connected).length, 0);
    const value = async (title: string) => {
      const e = expressions.find((x) => x.where.includes(`"${title}"`));
      if (e === undefined) throw new Error(`no panel ${title}`);
      return Number((await prom.query(toRunnable(e.expr)))[0]?.value[1]);
    };
    expect(await value("Devices")).toBe(size);
    expect(await value("Connected devices")).toBe(connected);
    expect(await value("Replicas")).toBe(2);
  });

  it("a device of the top devices table links to its page, on the exporter variable's URL and on its replica", async () => {
    const table = expressions.find((e) => e.where.includes('"Top devices by drops"'));
    const rows = await prom.query(toRunnable(table?.expr ?? ""));
    expect(rows.length).toBeGreaterThan(0);
    const row = rows[0]!.metric as { client_id: string; instance: string; cause: string };
    // Grafana's interpolation: the dashboard variable, then the row's fields (percent-encoded).
    const fill = (url: string, exporter: string) =>
      url
        .replace("${exporter}", exporter)
        .replace("${__data.fields.instance}", row.instance)
        .replace("${__data.fields.client_id:percentencode}", encodeURIComponent(row.client_id));
    for (const link of DEVICE_LINKS) {
      const r = await fetch(fill(link.url, `http://${row.instance}`), { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
      expect([link.title, r.status]).toEqual([link.title, 200]);
      expect(await r.text()).toContain(`First cause: <strong class="cause">${row.cause}</strong>`);
    }
  });
});
