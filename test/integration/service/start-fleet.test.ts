import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Config, FleetConfig } from "../../../src/config/schema.js";
import { BrokerPublisher } from "../../../src/emulator/broker-publisher.js";
import { lifecycleTopic } from "../../../src/emulator/lifecycle-events.js";
import { startFleet, type RunningFleet } from "../../../src/service/start-fleet.js";
import { fleetPlay } from "../../helpers/fleet-generator.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { pollUntil } from "../../helpers/poll.js";
import { promtool } from "../../helpers/prometheus.js";
import { testConnection } from "../../helpers/service.js";

const m = mosquittoSuite("start-fleet");

async function start(name: string): Promise<RunningFleet> {
  const fleet: FleetConfig = {
    source: "mqtt",
    connection: "fleet-reader",
    evidence_topic_filter: "mqtt-diagnostics/evidence/+",
    top_k: 2,
    join_window_seconds: 1,
  };
  const config: Config & { fleet: FleetConfig } = {
    connections: [testConnection({ client_id: "fleet-reader", port: m.broker.plainPort, keep_alive_seconds: 30 })],
    journal: { path: join(m.dir, `${name}.jsonl`), max_bytes: 1 << 20, retain_files: 1 },
    max_events_retained: 100,
    fleet,
  };
  const s = await startFleet(config, { logger: pino({ level: "silent" }), listen: { host: "127.0.0.1", port: 0 } });
  m.cleanup(() => s.close());
  return s;
}

interface Page {
  devices: { client_id: string; cause: string | null; drops: number }[];
  next_cursor: string | null;
  total: number;
}

describe("fleet mode on MQTT (Mosquitto)", () => {
  it("takes AWS's events (duplicated, out of order) and the evidence from the broker, and names each device's cause", async () => {
    const fleet = await start("causes");
    await pollUntil(() => (fleet.registry.get("fleet-reader")?.isConnected === true ? true : undefined), "the fleet's subscriber connected");
    // The subscription is made on connectionSuccess: wait until the broker routes to it.
    const publisher = new BrokerPublisher("127.0.0.1", m.broker.plainPort);
    m.cleanup(() => publisher.close());
    const probe = {
      clientId: "probe",
      timestamp: 1,
      eventType: "connected",
      sessionIdentifier: "probe",
      principalIdentifier: "p",
      ipAddress: "127.0.0.1",
      versionNumber: 1,
    };
    await pollUntil(
      () => {
        publisher.publish("$aws/events/presence/connected/probe", JSON.stringify(probe));
        return fleet.state.device("probe") !== undefined ? true : undefined;
      },
      "the fleet's subscription active",
      30_000,
      300,
    );

    const play = fleetPlay({ perScenario: 2, evidence: true, duplicateShare: 0.3, shuffle: true, seed: 11 });
    for (const e of play.events) publisher.publish(lifecycleTopic(e), JSON.stringify(e));
    for (const msg of play.evidence) publisher.publish(`mqtt-diagnostics/evidence/${msg.client_id}`, JSON.stringify(msg));
    publisher.publish("mqtt-diagnostics/evidence/x", "{not json");

    const want = [...play.truth].map(([id, truth]) => [id, truth]);
    const got = await pollUntil(async () => {
      const page = (await (await fetch(`${fleet.address}/fleet/devices?sort=client_id&limit=1000`)).json()) as Page;
      const causes = new Map(page.devices.map((d) => [d.client_id, d.cause]));
      return want.every(([id, cause]) => causes.get(id as string) === cause) ? causes : undefined;
    }, "every device diagnosed as played");
    expect(got.size).toBe(play.truth.size + 1);
    expect(fleet.subscription?.rejected).toBe(1);

    const detail = (await (await fetch(`${fleet.address}/fleet/devices/throttling-1`)).json()) as {
      fleet: { cause: string };
      diagnosis: { findings: { cause: string }[] };
      recent_drops: { server_reason: string }[];
    };
    expect(detail.fleet.cause).toBe("server_throttling");
    expect(detail.recent_drops.map((d) => d.server_reason)).toEqual(["THROTTLED", "THROTTLED", "THROTTLED"]);

    const page = await (await fetch(`${fleet.address}/fleet`)).text();
    expect(page).toContain('<a href="/fleet/devices/throttling-0">throttling-0</a>');
    // Sampled at start for causes over time; the chart needs a second sample (a minute later).
    expect(fleet.history.samples().length).toBeGreaterThan(0);
    expect(page).toMatch(/<h2>Causes over time<\/h2>\n(<svg class="causes"|<p>Devices by first cause, sampled every 60 seconds)/);

    // The status page has the fleet's section: counts, causes, the devices with most drops linked to their page.
    const status = await (await fetch(`${fleet.address}/`)).text();
    expect(status).toContain('<section id="fleet"><h2>Fleet</h2>');
    expect(status).toMatch(/<tr><td><a href="\/fleet\/devices\/throttling-0">throttling-0<\/a><\/td><td>server_throttling<\/td><td>3<\/td>/);
    expect(status).toContain('<section id="fleet-reader">');
    const html = await fetch(`${fleet.address}/fleet/devices/throttling-0`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await html.text()).toContain('First cause: <strong class="cause">server_throttling</strong>');

    const body = await (await fetch(`${fleet.address}/metrics`)).text();
    const check = spawnSync(promtool(), ["check", "metrics"], { input: body, encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    expect(body).toContain('mqtt_fleet_devices{cause="server_throttling"} 2');
    expect(body).toContain('mqtt_fleet_lifecycle_events_total{event_type="disconnected",reason="THROTTLED"} 6');
    expect(body).toContain('mqtt_fleet_top_device_drops{cause="server_throttling",rank="1",client_id="throttling-0"} 3');
    expect(body).toContain("mqtt_fleet_session_duration_seconds_bucket");
    // The top K are the only per-device series.
    const perDevice = body.split("\n").filter((l) => l.includes("client_id="));
    expect(perDevice.every((l) => l.startsWith("mqtt_fleet_top_device_drops{"))).toBe(true);
  });

  it("answers bad /fleet/devices parameters with 400 and a reason, an unknown device with 404", async () => {
    const fleet = await start("params");
    for (const [query, reason] of [
      ["cause=nope", "querystring/cause must be equal to one of the allowed values"],
      ["sort=size", "querystring/sort must be equal to one of the allowed values"],
      ["limit=0", "querystring/limit must be >= 1"],
      ["cursor=xyz", "querystring/cursor is not a cursor this endpoint gave"],
      ["other=1", "querystring must NOT have additional properties"],
    ] as const) {
      const r = await fetch(`${fleet.address}/fleet/devices?${query}`);
      expect([query, r.status]).toEqual([query, 400]);
      expect(((await r.json()) as { message: string }).message).toContain(reason);
    }
    const r = await fetch(`${fleet.address}/fleet/devices/nobody`);
    expect(r.status).toBe(404);
    const format = await fetch(`${fleet.address}/fleet/devices/nobody?format=pdf`);
    expect(format.status).toBe(400);
    expect(((await format.json()) as { message: string }).message).toContain("querystring/format must be equal to one of the allowed values");
  });
});
