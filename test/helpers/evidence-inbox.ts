import { connectAsync, type MqttClient } from "mqtt";

export interface EvidenceEvent {
  seq: number;
  line: Record<string, unknown> & { kind: string; ts: string };
}
export interface EvidenceMessage {
  type: string;
  version: number;
  client_id: string;
  first_seq: number;
  last_seq: number;
  discarded_total: number;
  events: EvidenceEvent[];
}

/** A subscriber (QoS 1) that keeps every evidence message as received, with its size and QoS. */
export class EvidenceInbox {
  readonly messages: { topic: string; bytes: number; qos: number; raw: string; message: EvidenceMessage }[] = [];
  private constructor(private readonly client: MqttClient) {}

  static async open(port: number, filter: string): Promise<EvidenceInbox> {
    const client = await connectAsync({ host: "127.0.0.1", port, protocolVersion: 5, reconnectPeriod: 0 });
    const inbox = new EvidenceInbox(client);
    client.on("message", (topic, payload, packet) => {
      const raw = payload.toString("utf8");
      inbox.messages.push({ topic, bytes: payload.length, qos: packet.qos, raw, message: JSON.parse(raw) as EvidenceMessage });
    });
    await client.subscribeAsync(filter, { qos: 1 });
    return inbox;
  }

  /** Every event received by seq; throws if one seq came with two different contents. */
  bySeq(): Map<number, EvidenceEvent> {
    const out = new Map<number, EvidenceEvent>();
    for (const { message } of this.messages)
      for (const e of message.events) {
        const seen = out.get(e.seq);
        if (seen !== undefined && JSON.stringify(seen.line) !== JSON.stringify(e.line)) throw new Error(`seq ${e.seq} received with two contents`);
        out.set(e.seq, e);
      }
    return out;
  }

  /** The highest seq received (0: none). */
  get lastSeq(): number {
    return Math.max(0, ...this.messages.map((m) => m.message.last_seq));
  }

  close(): Promise<void> {
    return this.client.endAsync();
  }
}
