import * as mqttPacket from "mqtt-packet";
import { describe, expect, it } from "vitest";
import { Mqtt5To311Bridge } from "../../../src/emulator/mqtt5-bridge.js";

/** A packet as it travels: encoded in one protocol version and read back by mqtt-packet's parser. */
function wire(p: mqttPacket.Packet, protocolVersion: 4 | 5): mqttPacket.Packet {
  const parser = mqttPacket.parser({ protocolVersion });
  const got: mqttPacket.Packet[] = [];
  parser.on("packet", (x: mqttPacket.Packet) => got.push(x));
  parser.on("error", (e: Error) => {
    throw e;
  });
  parser.parse(mqttPacket.generate(p, { protocolVersion }));
  expect(got).toHaveLength(1);
  return got[0] as mqttPacket.Packet;
}

/** As the emulator does it: read from the MQTT 5 client, bridged, written to the 3.1.1 broker. */
const toBroker = (b: Mqtt5To311Bridge, p: mqttPacket.Packet) => wire(b.toBroker(wire(p, 5)), 4);
/** Read from the 3.1.1 broker, bridged, written to the MQTT 5 client. */
const toClient = (b: Mqtt5To311Bridge, p: mqttPacket.Packet) => wire(b.toClient(wire(p, 4)), 5);

describe("MQTT 5 client in front of an MQTT 3.1.1 broker", () => {
  it("CONNECT becomes 3.1.1 without its properties; the will is kept without its own", () => {
    const connect: mqttPacket.IConnectPacket = {
      cmd: "connect",
      protocolId: "MQTT",
      protocolVersion: 5,
      clean: true,
      keepalive: 30,
      clientId: "demo-device",
      properties: { sessionExpiryInterval: 60, receiveMaximum: 10 },
      will: { topic: "demo/will", payload: Buffer.from("gone"), qos: 1, retain: true, properties: { willDelayInterval: 5 } },
    };
    const out = toBroker(new Mqtt5To311Bridge(), connect) as mqttPacket.IConnectPacket;
    expect(out).toMatchObject({ cmd: "connect", protocolVersion: 4, clientId: "demo-device", keepalive: 30, clean: true });
    expect(out.properties).toBeUndefined();
    expect(out.will).toMatchObject({ topic: "demo/will", qos: 1, retain: true });
    expect(out.will?.properties).toBeUndefined();
    expect(Buffer.from(out.will?.payload ?? "").toString()).toBe("gone");
  });

  it("PUBLISH, SUBSCRIBE, PUBACK and DISCONNECT lose what only MQTT 5 has", () => {
    const b = new Mqtt5To311Bridge();
    const publish = toBroker(b, {
      cmd: "publish",
      topic: "demo/probe",
      payload: Buffer.from("x"),
      qos: 1,
      messageId: 3,
      retain: false,
      dup: false,
      properties: { messageExpiryInterval: 9, userProperties: { a: "b" } },
    });
    expect(publish).toMatchObject({ cmd: "publish", topic: "demo/probe", qos: 1, messageId: 3 });
    expect((publish as mqttPacket.IPublishPacket).properties).toBeUndefined();
    const subscribe = toBroker(b, {
      cmd: "subscribe",
      messageId: 4,
      subscriptions: [{ topic: "demo/#", qos: 1, nl: true, rap: true, rh: 2 }],
      properties: { subscriptionIdentifier: 1 },
    });
    expect((subscribe as mqttPacket.ISubscribePacket).subscriptions).toEqual([{ topic: "demo/#", qos: 1 }]);
    expect(toBroker(b, { cmd: "puback", messageId: 5, reasonCode: 0x10 })).toMatchObject({ cmd: "puback", messageId: 5 });
    expect(toBroker(b, { cmd: "disconnect", reasonCode: 0x04 }).cmd).toBe("disconnect");
    expect(toBroker(b, { cmd: "pingreq" }).cmd).toBe("pingreq");
  });

  it("the broker's CONNACK return codes become MQTT 5 reason codes (an unknown one: Unspecified error)", () => {
    const b = new Mqtt5To311Bridge();
    const codes = [0, 1, 2, 3, 4, 5].map(
      (returnCode) => (toClient(b, { cmd: "connack", returnCode, sessionPresent: false }) as mqttPacket.IConnackPacket).reasonCode,
    );
    expect(codes).toEqual([0x00, 0x84, 0x85, 0x88, 0x86, 0x87]);
    expect(b.toClient({ cmd: "connack", returnCode: 9, sessionPresent: true })).toEqual({ cmd: "connack", sessionPresent: true, reasonCode: 0x80 });
  });

  it("UNSUBACK gets one reason code per topic its UNSUBSCRIBE named; SUBACK and PUBACK carry MQTT 5's codes", () => {
    const b = new Mqtt5To311Bridge();
    toBroker(b, { cmd: "unsubscribe", messageId: 7, unsubscriptions: ["a", "b", "c"] });
    expect((toClient(b, { cmd: "unsuback", messageId: 7, granted: [] }) as mqttPacket.IUnsubackPacket).granted).toEqual([0, 0, 0]);
    // Answered once: a second UNSUBACK with that id is not the same UNSUBSCRIBE's.
    expect(b.toClient({ cmd: "unsuback", messageId: 7, granted: [] })).toMatchObject({ granted: [0] });
    expect((toClient(b, { cmd: "suback", messageId: 8, granted: [1, 0x80] }) as mqttPacket.ISubackPacket).granted).toEqual([1, 0x80]);
    expect(toClient(b, { cmd: "puback", messageId: 9 })).toMatchObject({ cmd: "puback", messageId: 9, reasonCode: 0 });
    expect(toClient(b, { cmd: "pingresp" }).cmd).toBe("pingresp");
  });
});
