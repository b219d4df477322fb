import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BrokerPublisher } from "../../../src/emulator/broker-publisher.js";
import { DirectoryLeaseStore } from "../../../src/kinesis/directory-lease-store.js";
import { fleetPlay } from "../../helpers/fleet-generator.js";
import { Kinesalite, putRecords } from "../../helpers/kinesalite.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { pollUntil } from "../../helpers/poll.js";
import { spawnListening } from "../../helpers/spawn-listening.js";

const m = mosquittoSuite("fleet-command");

describe("mqtt-diagnostics fleet as a process", () => {
  it("subscribes on fleet.connection, diagnoses the devices AWS reports, and exits 0 on SIGTERM", async () => {
    const config = join(m.dir, "fleet.yml");
    writeFileSync(
      config,
      `connections:
  - { name: fleet-reader, endpoint: 127.0.0.1, port: ${m.broker.plainPort}, client_id: fleet-reader, keep_alive_seconds: 30 }
journal: { path: ${join(m.dir, "fleet.jsonl")} }
fleet: { connection: fleet-reader, join_window_seconds: 1, trust: broker_acl }
`,
    );
    const service = await spawnListening(["fleet", "--config", config, "--log.level", "warn"]);
    const { child, port, exited } = service;
    m.cleanup(() => void child.kill("SIGKILL"));
    const publisher = new BrokerPublisher("127.0.0.1", m.broker.plainPort);
    m.cleanup(() => publisher.close());
    const facts = { clientId: "heater-9", principalIdentifier: "p", ipAddress: "198.51.100.9" };
    const list = async (query: string) => {
      const r = await fetch(`http://127.0.0.1:${port}/fleet/devices${query}`).catch(() => undefined);
      return r?.ok === true ? ((await r.json()) as { devices: { client_id: string }[] }) : undefined;
    };
    let n = 0;
    // A refused connect, published until the subscriber (connected and subscribed by then) has one;
    // then, with nothing new, the device is diagnosed once its events have settled.
    await pollUntil(
      async () => {
        n++;
        publisher.publish(
          "$aws/events/presence/connect_failed/heater-9",
          JSON.stringify({
            ...facts,
            timestamp: 1_780_000_000_000 + n,
            eventType: "connect_failed",
            connectFailureReason: "AUTHORIZATION_FAILED",
            sessionIdentifier: `s${n}`,
          }),
        );
        return (await list(""))?.devices.length === 1 ? true : undefined;
      },
      "heater-9 received",
      60_000,
      500,
    ).catch((err: Error) => {
      throw new Error(`${err.message} (stderr: ${service.stderr()})`);
    });
    const page = await pollUntil(async () => {
      const body = await list("?cause=auth_or_policy");
      return body !== undefined && body.devices.length > 0 ? body : undefined;
    }, "heater-9 diagnosed");
    expect(page.devices.map((d) => d.client_id)).toEqual(["heater-9"]);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 120_000);
});

describe("mqtt-diagnostics fleet on Kinesis (kinesalite) as a process", () => {
  it("without a watched connection, reads AWS's events and the evidence from the stream, names every device's cause as played, and releases its leases on SIGTERM", async () => {
    const kinesis = await Kinesalite.start();
    m.cleanup(() => kinesis.stop());
    await kinesis.createStream("iot-fleet", 3);
    const client = kinesis.client();
    m.cleanup(() => client.destroy());
    // As the IoT rules write them: AWS's events (some twice, each device's shuffled), then the evidence; partition key the client ID.
    const play = fleetPlay({ perScenario: 3, evidence: true, duplicateShare: 0.2, shuffle: true, seed: 29 });
    await putRecords(client, "iot-fleet", [
      ...play.events.map((e) => ({ clientId: e.clientId, payload: JSON.stringify(e) })),
      ...play.evidence.map((msg) => ({ clientId: msg.client_id, payload: JSON.stringify(msg) })),
      { clientId: "x", payload: "{not json" },
    ]);

    const leases = join(m.dir, "leases");
    const config = join(m.dir, "fleet-kinesis.yml");
    writeFileSync(
      config,
      // A fleet-only replica: no watched connection at all.
      `journal: { path: ${join(m.dir, "fleet-kinesis.jsonl")} }
fleet:
  source: kinesis
  join_window_seconds: 1
  kinesis: { stream: iot-fleet, region: us-east-1, endpoint: "${kinesis.endpoint}", lease_directory: ${leases}, owner: cli-replica, idle_ms: 200 }
`,
    );
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
    const service = await spawnListening(["fleet", "--config", config, "--log.level", "warn"], env);
    const { child, port, exited } = service;
    m.cleanup(() => void child.kill("SIGKILL"));
    const get = async (path: string) => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
      return r?.ok === true ? r : undefined;
    };

    const causes = await pollUntil(
      async () => {
        const page = (await (await get("/fleet/devices?sort=client_id&limit=1000"))?.json()) as
          { devices: { client_id: string; cause: string | null }[] } | undefined;
        const got = new Map(page?.devices.map((d) => [d.client_id, d.cause]));
        return [...play.truth].every(([id, cause]) => got.get(id) === cause) ? got : undefined;
      },
      "every device diagnosed as played",
      90_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message} (stderr: ${service.stderr()})`);
    });
    expect(Object.fromEntries(causes)).toEqual(Object.fromEntries(play.truth));
    const metrics = await (await get("/metrics"))?.text();
    expect(metrics).toContain('mqtt_fleet_devices{cause="server_throttling"} 3');
    expect(metrics).toContain("mqtt_fleet_rejected_messages_total 1");
    expect(await (await get("/fleet"))?.text()).toContain('<a href="/fleet/devices/throttling-0">throttling-0</a>');
    // The status page of a replica that watches no connection: the fleet, and no connection section.
    const status = (await (await get("/"))?.text()) ?? "";
    expect(status).toContain('<section id="fleet"><h2>Fleet</h2>');
    expect(status).toContain("<p>No watched connection: this process reads the fleet above.</p>");

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const held = (await new DirectoryLeaseStore(leases).all()).filter((l) => l.owner !== null);
    expect(held).toEqual([]);
  }, 150_000);
});
