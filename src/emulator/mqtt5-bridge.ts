import type * as mqttPacket from "mqtt-packet";

/** MQTT 3.1.1 CONNACK return codes as MQTT 5 reason codes (OASIS MQTT 5.0, 3.2.2.2 and MQTT 3.1.1, 3.2.2.3). */
const CONNACK_V5: Record<number, number> = { 0: 0x00, 1: 0x84, 2: 0x85, 3: 0x88, 4: 0x86, 5: 0x87 };

/**
 * Terminates MQTT 5 for a client in front of an MQTT 3.1.1-only broker (the demo's aedes): packets
 * from the client lose their MQTT 5 properties on the way in, and the broker's answers gain the
 * reason codes MQTT 5 requires on the way out. Enough for what the demo's clients do: connect,
 * subscribe, unsubscribe, QoS 0/1 publish, ping and disconnect. Without a Topic Alias Maximum in
 * the CONNACK the client sends no topic aliases, so every PUBLISH carries its topic.
 */
export class Mqtt5To311Bridge {
  /** UNSUBACK in MQTT 5 carries one reason code per topic: remember how many each UNSUBSCRIBE had. */
  private readonly unsubscribeCounts = new Map<number, number>();

  toBroker(p: mqttPacket.Packet): mqttPacket.Packet {
    switch (p.cmd) {
      case "connect": {
        const { properties: _p, will, ...rest } = p;
        return {
          ...rest,
          protocolVersion: 4,
          ...(will === undefined ? {} : { will: { topic: will.topic, payload: will.payload, qos: will.qos ?? 0, retain: will.retain ?? false } }),
        };
      }
      case "publish": {
        const { properties: _p, ...rest } = p;
        return rest;
      }
      case "subscribe":
        return { cmd: "subscribe", messageId: p.messageId, subscriptions: p.subscriptions.map((s) => ({ topic: s.topic, qos: s.qos })) };
      case "unsubscribe":
        this.unsubscribeCounts.set(p.messageId ?? 0, p.unsubscriptions.length);
        return { cmd: "unsubscribe", messageId: p.messageId, unsubscriptions: p.unsubscriptions };
      case "puback":
        return { cmd: "puback", messageId: p.messageId ?? 0 };
      case "disconnect":
        return { cmd: "disconnect" };
      default:
        return p;
    }
  }

  toClient(p: mqttPacket.Packet): mqttPacket.Packet {
    switch (p.cmd) {
      case "connack":
        return { cmd: "connack", sessionPresent: p.sessionPresent, reasonCode: CONNACK_V5[p.returnCode ?? 0] ?? 0x80 };
      case "suback":
        // 3.1.1's 0x80 failure is MQTT 5's "Unspecified error"; granted QoS values are the same codes.
        return { cmd: "suback", messageId: p.messageId, granted: p.granted };
      case "unsuback": {
        const id = p.messageId ?? 0;
        const n = this.unsubscribeCounts.get(id) ?? 1;
        this.unsubscribeCounts.delete(id);
        return { cmd: "unsuback", messageId: p.messageId, granted: new Array<number>(n).fill(0) };
      }
      case "puback":
        return { cmd: "puback", messageId: p.messageId ?? 0, reasonCode: 0 };
      default:
        return p;
    }
  }
}
