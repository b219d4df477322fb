import { io, mqtt, mqtt5 } from "aws-iot-device-sdk-v2";
import { describe, expect, it } from "vitest";
import { mqtt311Publisher, mqtt5Publisher } from "../../../src/mqtt/evidence-publish.js";
import { EvidenceInbox } from "../../helpers/evidence-inbox.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { pollUntil } from "../../helpers/poll.js";

const m = mosquittoSuite("evidence-publish");
const message = (seq: number) =>
  JSON.stringify({ type: "mqtt-diagnostics-evidence", version: 1, client_id: "p", first_seq: seq, last_seq: seq, discarded_total: 0, events: [] });

describe("evidence publishers over the app's own connection", () => {
  it("MQTT 5: resolves once the broker acknowledged a QoS 1 publish", async () => {
    const box = await EvidenceInbox.open(m.broker.plainPort, "ev/5");
    m.cleanup(() => box.close());
    const client = new mqtt5.Mqtt5Client({
      hostName: "127.0.0.1",
      port: m.broker.plainPort,
      connectProperties: { clientId: "pub-5", keepAliveIntervalSeconds: 30 },
    });
    m.cleanup(() => client.close());
    client.start();
    await mqtt5Publisher(client)("ev/5", message(7));
    await pollUntil(() => box.messages[0], "received");
    expect(box.messages[0]).toMatchObject({ qos: 1, message: { first_seq: 7 } });
    client.stop();
  });

  it("MQTT 3.1.1: resolves once the broker acknowledged a QoS 1 publish", async () => {
    const box = await EvidenceInbox.open(m.broker.plainPort, "ev/311");
    m.cleanup(() => box.close());
    const connection = new mqtt.MqttClient().new_connection({
      client_id: "pub-311",
      host_name: "127.0.0.1",
      port: m.broker.plainPort,
      socket_options: new io.SocketOptions(),
      clean_session: true,
      keep_alive: 30,
    });
    await connection.connect();
    m.cleanup(() => connection.disconnect().catch(() => undefined));
    await mqtt311Publisher(connection)("ev/311", message(9));
    await pollUntil(() => box.messages[0], "received");
    expect(box.messages[0]).toMatchObject({ qos: 1, message: { first_seq: 9 } });
  });
});
