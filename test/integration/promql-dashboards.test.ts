import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createDiagnoser } from "../../src/diagnosis/diagnoser.js";
import { createTelemetry, type Telemetry } from "../../src/metrics/telemetry.js";
import { CONNECTION_DASHBOARDS } from "../../dashboards/src/generate.js";
import { dashboardExpressions, metricNamesIn, toRunnable, type PromExpression } from "../../dashboards/src/promql.js";
import { startTestApp, type TestApp } from "../helpers/app.js";
import { freePort } from "../helpers/free-port.js";
import { pollUntil } from "../helpers/poll.js";
import { startPrometheus, type PrometheusServer } from "../helpers/prometheus.js";

const RULES = fileURLToPath(new URL("../../dashboards/alerts.yml", import.meta.url));
const ping = { error_name: "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT", error_code: 5157, message: "ping response timeout" };
const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "The connection was closed unexpectedly." };
const tls = { error_name: "AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE", error_code: 1029, message: "TLS negotiation failed" };

const alertRules = (parse(readFileSync(RULES, "utf8")) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
const expressions: PromExpression[] = [
  ...Object.entries(CONNECTION_DASHBOARDS).flatMap(([name, build]) => dashboardExpressions(build()).map((e) => ({ ...e, where: `${name} ${e.where}` }))),
  ...alertRules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
];

let t: TestApp;
let telemetry: Telemetry;
let prom: PrometheusServer;
let journalWriteErrors = 0;

/** Waits until Prometheus has scraped the app after everything recorded so far. */
async function scraped(): Promise<void> {
  const after = Date.now();
  await pollUntil(
    async () => {
      const r = await prom.query("max(timestamp(mqtt_diagnostics_exporter_build_info))");
      return r.length === 1 && Number(r[0]!.value[1]) * 1000 > after + 50 ? true : undefined;
    },
    "a scrape after the last step",
    30_000,
    200,
  );
}

/** One round of the fault scenario on heater-1: ping timeouts, a takeover, a failed TLS attempt, a reconnect storm. */
function faultRound(): void {
  const c = t.registry.getOrCreate("heater-1");
  for (let i = 0; i < 2; i++) {
    t.clock.advance(300_000);
    c.recordConnectionDrop({ error: ping, queuedCommands: 2 });
    c.recordPublish(true);
    t.clock.advance(1_500);
    c.recordConnectionAttempt();
    c.recordConnectionSuccess({ eventType: "resumed", sessionPresent: true, keepAliveSeconds: 300 });
    c.recordPublish(false);
    c.recordProbe(0.08);
  }
  t.clock.advance(4_000);
  c.recordConnectionDrop({ error: { error_name: "AWS_ERROR_MQTT5_DISCONNECT_RECEIVED", error_code: 5154, message: "DISCONNECT" }, disconnectReasonCode: 0x8e });
  // Ten failed attempts half a second apart: a storm (MqttReconnectStorm wants more than 20 in 5 minutes).
  for (let i = 0; i < 10; i++) {
    c.recordConnectionAttempt();
    c.recordConnectionFailure({ error: tls });
    t.clock.advance(500);
  }
  c.recordConnectionAttempt();
  c.recordConnectionSuccess({ eventType: "connected", keepAliveSeconds: 300 });
  c.recordProbe(null);
  c.recordOperationalStatistics({ incompleteOperationCount: 3, incompleteOperationSize: 300, unackedOperationCount: 1, unackedOperationSize: 100 });
  t.registry.getOrCreate("pump-2").recordConnectionDrop({ error: hangup });
  journalWriteErrors++;
}

beforeAll(async () => {
  t = await startTestApp(["heater-1", "pump-2"], (registry) => {
    const diagnoser = createDiagnoser(registry);
    telemetry = createTelemetry({
      registry,
      serviceVersion: "0.0.0-test",
      cacheMaxAgeMs: 0,
      journalStats: { writeErrors: () => journalWriteErrors },
      diagnosisSource: (name) => diagnoser(name)?.findings ?? [],
    });
    return { telemetry };
  });
  const heater = t.registry.getOrCreate("heater-1");
  heater.recordConnectionAttempt();
  heater.recordConnectionSuccess({ keepAliveSeconds: 300 });
  // The failure series exists from the baseline, so increase() counts every later failure.
  heater.recordConnectionAttempt();
  heater.recordConnectionFailure({ error: tls });
  const pump = t.registry.getOrCreate("pump-2");
  pump.recordConnectionAttempt();
  pump.recordConnectionSuccess({ keepAliveSeconds: 60 });
  const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
  // A second target of the job where nothing listens: an exporter that is down (MqttExporterDown).
  const down = `127.0.0.1:${await freePort()}`;
  prom = await startPrometheus([new URL(address).host, down], { ruleFiles: [RULES] });
  await pollUntil(
    async () => {
      const data = await prom.api<{ activeTargets: { health: string; scrapeUrl: string }[] }>("targets");
      const health = (host: string) => data.activeTargets.find((x) => x.scrapeUrl.includes(host))?.health;
      return health(new URL(address).host) === "up" && health(down) === "down" ? true : undefined;
    },
    "the exporter up and the dead target down",
    45_000,
    250,
  );
  await scraped(); // the baseline: counters and histograms at their starting values
  for (let round = 0; round < 3; round++) {
    faultRound();
    await scraped();
  }
}, 120_000);

afterAll(async () => {
  await prom?.stop();
  await t?.close();
  await telemetry?.shutdown();
});

describe("every PromQL expression of the dashboards and alert rules, against a real Prometheus after a fault scenario", () => {
  it("covers the dashboards and every rule", () => {
    expect(expressions.filter((e) => e.where.startsWith("alert ")).length).toBe(alertRules.length);
    expect(expressions.length).toBeGreaterThan(25);
  });

  it.each(expressions.map((e) => [e.where, e] as const))("%s returns data", async (_where, e) => {
    const result = await prom.query(toRunnable(e.expr));
    expect(result.length, toRunnable(e.expr)).toBeGreaterThan(0);
  });

  it("uses only metric names the live exposition has", async () => {
    const body = (await t.app.inject({ method: "GET", url: "/metrics" })).body;
    for (const e of expressions) {
      for (const metric of metricNamesIn(e.expr)) expect(body, `${e.where}: ${metric}`).toMatch(new RegExp(`^${metric}[{ ]`, "m"));
    }
  });

  it("loads the rules into Prometheus, evaluates them without error and has every alert pending or firing", async () => {
    type Rule = { name: string; health: string; lastError?: string; state?: string };
    const rules = await pollUntil(
      async () => {
        const data = await prom.api<{ groups: { rules: Rule[] }[] }>("rules", { type: "alert" });
        const all = data.groups.flatMap((g) => g.rules);
        return all.length === alertRules.length && all.every((r) => r.health === "ok" && r.state !== "inactive") ? all : undefined;
      },
      "every alert rule evaluated and active",
      30_000,
      250,
    );
    expect(rules.map((r) => r.name).sort()).toEqual(alertRules.map((r) => r.alert).sort());
  });
});
