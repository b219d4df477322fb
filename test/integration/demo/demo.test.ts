import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type Socket } from "node:net";
import * as mqttPacket from "mqtt-packet";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { CONNECTION_DASHBOARDS } from "../../../dashboards/src/generate.js";
import { dashboardExpressions, toRunnable } from "../../../dashboards/src/promql.js";
import { DEMO_SCENARIOS, SCENARIO_CAUSE, startDemo, type Demo } from "../../../src/demo/demo.js";
import { diagnose } from "../../../src/diagnosis/engine.js";
import { historyOf } from "../../../src/diagnosis/history.js";
import { startService, type RunningService } from "../../../src/service/start-service.js";
import { pollUntil } from "../../helpers/poll.js";
import { startPrometheus, type PrometheusServer } from "../../helpers/prometheus.js";

let demo: Demo | undefined;
let service: RunningService | undefined;
let prom: PrometheusServer | undefined;
const dir = mkdtempSync(join(tmpdir(), "mde-demo-"));
afterAll(async () => {
  await prom?.stop();
  await service?.close();
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every family the exporter can expose, as the golden exposition lists them. */
const FAMILIES = readFileSync(new URL("../../golden/exposition.prom", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.startsWith("# TYPE "))
  .map((l) => l.split(" ")[2] as string);

/**
 * How long the first test may take in all: a generous bound for a loaded machine (the demo keeps
 * cycling, so evidence a first round missed comes in a later one), never a figure the test assumes.
 */
const PATIENCE_MS = 540_000;

describe("the built-in demo (no broker to install: aedes behind the AWS rules emulator)", () => {
  it(
    "plays every scenario; each is recorded as AWS would say it and diagnosed as its cause",
    async () => {
      const deadline = Date.now() + PATIENCE_MS;
      /** Waits for one piece of evidence, however long the machine takes, within the test's bound. */
      const evidence = (what: string, found: () => boolean) => pollUntil(() => (found() ? true : undefined), what, Math.max(1, deadline - Date.now()), 250);
      const logger = pino({ level: "silent" });
      // Time scale 4: AWS's 30 s minimum keep-alive is 7.5 s, so the 8 s keep-alive stands and a dead uplink is closed after 12 s.
      demo = await startDemo({ logger, scenarioIntervalMs: 2000, keepAliveSeconds: 8, timeScale: 4, outageMs: 4000 });
      service = await startService(
        {
          connections: demo.connections,
          lifecycle: { observer: demo.observer.client_id, join_window_seconds: 10, trust: "broker_acl" },
          journal: { path: join(dir, "journal.jsonl"), max_bytes: 1 << 20, retain_files: 1 },
          max_events_retained: 1000,
        },
        { logger, listen: { host: "127.0.0.1", port: 0 } },
      );
      // A real Prometheus scrapes the demo from the start, so every dashboard panel can be read at the end.
      prom = await startPrometheus([new URL(service.address).host]);
      const collector = service.registry.getOrCreate("demo");
      const d = demo;
      d.startFaults(collector);
      await evidence("every scenario played", () => DEMO_SCENARIOS.every((s) => (d.played[s] ?? 0) >= 1));

      // What the client saw, as AWS IoT Core would have closed it.
      for (const r of ["session_taken_over", "message_rate_too_high", "not_authorized", "maximum_connect_time", "server_shutting_down"]) {
        await evidence(
          `a server DISCONNECT ${r} (so far ${JSON.stringify(Object.fromEntries(collector.serverDisconnectsByReason))})`,
          () => (collector.serverDisconnectsByReason.get(r) ?? 0) >= 1,
        );
      }
      await evidence("a CONNACK 0x87 refusal", () => collector.getRecentFailures(1000).some((f) => f.connack_reason_code === 0x87));
      // In a silent outage the client gives up on its ping; only AWS's lifecycle event says keep-alive timeout.
      await evidence("a ping response timeout drop", () =>
        collector.getRecentDrops(1000).some((d) => d.error_name === "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT"),
      );
      await evidence("two failed attempts", () => collector.connectionFailures >= 2);
      // ...and the join pairs AWS's keep-alive expiry with the client's own drop, however late it came (issue 20).
      await evidence("the keep-alive drop joined AWS's event as a keep-alive expiry", () =>
        collector
          .getRecentDrops(1000)
          .some((d) => d.error_name === "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT" && collector.serverOutcomeOf(d)?.outcome === "keep_alive_expiry"),
      );

      // What AWS said about it, in its lifecycle events.
      const said = () => new Set(d.emulator.events.map((e) => (e.eventType === "disconnected" ? e.disconnectReason : e.eventType)));
      for (const r of [
        "CONNECTION_LOST",
        "DUPLICATE_CLIENTID",
        "MQTT_KEEP_ALIVE_TIMEOUT",
        "THROTTLED",
        "FORBIDDEN_ACCESS",
        "WEBSOCKET_TTL_EXPIRATION",
        "SERVER_INITIATED_DISCONNECT",
        "connect_failed",
      ]) {
        await evidence(`AWS's lifecycle event ${r}`, () => said().has(r));
      }

      // Each scenario is diagnosed as its cause.
      const findings = () => diagnose(historyOf(collector, { protocol: "mqtt5" })).findings;
      const causes = () => findings().map((f) => f.cause);
      for (const s of DEMO_SCENARIOS) {
        const cause = SCENARIO_CAUSE[s];
        await evidence(`${s} diagnosed as ${cause} (so far ${causes().join(", ")})`, () => causes().some((c) => c === cause));
      }
      // The silent outage's finding is the one AWS's keep-alive expiry, joined to the ping-timeout drop, stands behind.
      const keepAliveFinding = () => findings().find((f) => f.evidence.some((e) => e.includes("MQTT_KEEP_ALIVE_TIMEOUT joined to the client's drops")));
      await evidence(
        `the keep-alive expiry as evidence of ${SCENARIO_CAUSE.keep_alive_timeout} (so far ${JSON.stringify(keepAliveFinding()?.cause)})`,
        () => keepAliveFinding()?.cause === SCENARIO_CAUSE.keep_alive_timeout,
      );

      // Every /metrics family has data.
      const body = await (await fetch(`${service.address}/metrics`)).text();
      const present = new Set(
        body
          .split("\n")
          .filter((l) => l.startsWith("# TYPE "))
          .map((l) => l.split(" ")[2]),
      );
      expect(FAMILIES.filter((f) => !present.has(f))).toEqual([]);
      expect(body).toMatch(/mqtt_client_connection_failures_total\{[^}]*connection="demo"[^}]*\} [1-9]/);
      expect(body).toMatch(/mqtt_client_server_disconnects_total\{[^}]*connection="demo"[^}]*\} [1-9]/);

      // Every Prometheus panel, annotation and variable of the watched connections' dashboards has data
      // (the device-fleet dashboard reads a fleet replica: test/integration/promql-device-fleet.test.ts).
      const expressions = Object.entries(CONNECTION_DASHBOARDS).flatMap(([name, build]) =>
        dashboardExpressions(build()).map((e) => ({ ...e, where: `${name} ${e.where}` })),
      );
      const empty = async () => {
        const out: string[] = [];
        for (const e of expressions) if ((await prom!.query(toRunnable(e.expr))).length === 0) out.push(e.where);
        return out;
      };
      const missing = await pollUntil(
        async () => {
          const m = await empty();
          return m.length === 0 ? m : undefined;
        },
        "every dashboard expression with data",
        Math.max(20_000, deadline - Date.now()),
        1000,
      ).catch(empty);
      expect(missing).toEqual([]);
    },
    PATIENCE_MS + 60_000,
  );

  it("the demo's broker lets no client publish on $aws/ (lifecycle.trust: broker_acl holds): a forger is cut off, nothing reaches a subscriber", async () => {
    const one = await startDemo({ logger: pino({ level: "silent" }) });
    const raw = (clientId: string) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: "127.0.0.1", port: one.observer.port ?? 0 }, () => {
          socket.write(mqttPacket.generate({ cmd: "connect", protocolId: "MQTT", protocolVersion: 4, clean: true, clientId, keepalive: 60 }));
          resolve(socket);
        });
        socket.on("error", reject);
      });
    const listener = await raw("listener");
    const seen: string[] = [];
    const parser = mqttPacket.parser();
    parser.on("packet", (p) => seen.push(p.cmd === "publish" ? p.topic : p.cmd));
    listener.on("data", (d: Buffer) => parser.parse(d));
    listener.write(mqttPacket.generate({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "$aws/events/#", qos: 0 }] }));
    try {
      await pollUntil(() => (seen.includes("suback") ? true : undefined), "subscribed", 10_000, 20);
      const forger = await raw("forger");
      const forgerSaw: string[] = [];
      const forgerParser = mqttPacket.parser();
      forgerParser.on("packet", (p) => forgerSaw.push(p.cmd));
      forger.on("data", (d: Buffer) => forgerParser.parse(d));
      const closed = new Promise((r) => forger.once("close", r));
      await pollUntil(() => (forgerSaw.includes("connack") ? true : undefined), "the forger connected", 10_000, 20);
      forger.write(
        mqttPacket.generate({ cmd: "publish", topic: "$aws/events/presence/disconnected/demo-device", payload: "{}", qos: 0, retain: false, dup: false }),
      );
      await closed;
      // The broker answers in order: once the listener's ping is answered, a forwarded forgery would be in.
      listener.write(mqttPacket.generate({ cmd: "pingreq" }));
      await pollUntil(() => (seen.includes("pingresp") ? true : undefined), "pingresp", 10_000, 20);
      expect(seen.filter((t) => t.startsWith("$aws/"))).toEqual([]);
    } finally {
      listener.destroy();
      await one.stop();
    }
  }, 30_000);

  it("--demo.scenario NAME plays that cause alone, again and again", async () => {
    const logger = pino({ level: "silent" });
    const one = await startDemo({ logger, scenario: "server_maintenance", scenarioIntervalMs: 500, keepAliveSeconds: 8, timeScale: 4 });
    const s = await startService(
      { connections: [one.connection], journal: { path: join(dir, "one.jsonl"), max_bytes: 1 << 20, retain_files: 1 }, max_events_retained: 1000 },
      { logger, listen: { host: "127.0.0.1", port: 0 } },
    );
    try {
      const c = s.registry.getOrCreate("demo");
      one.startFaults(c);
      await pollUntil(() => (one.played.server_maintenance >= 2 ? true : undefined), "two plays", 240_000, 100);
      expect(
        Object.entries(one.played)
          .filter(([, n]) => n > 0)
          .map(([k]) => k),
      ).toEqual(["server_maintenance"]);
      expect(c.serverDisconnectsByReason.get("server_shutting_down")).toBeGreaterThanOrEqual(2);
      expect(diagnose(historyOf(c, { protocol: "mqtt5" })).findings.map((f) => f.cause)).toContain("server_maintenance");
    } finally {
      await s.close();
      await one.stop();
    }
  }, 300_000);
});
