import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import * as mqttPacket from "mqtt-packet";

const CONNACK_WAIT_MS = 2000;

/** Where the emulator sends the lifecycle events it writes. */
export interface LifecycleSink {
  publish(topic: string, payload: string): void;
  close(): Promise<void>;
}

/**
 * A minimal MQTT 3.1.1 publisher (QoS 0, no keep-alive) on its own connection to the broker
 * behind the emulator: AWS publishes lifecycle events from the broker's side, so they reach
 * subscribers as any other message does. Messages written before CONNACK wait in order; a
 * broker restart reconnects on the next publish.
 */
export class BrokerPublisher implements LifecycleSink {
  private socket: Socket | undefined;
  private ready = false;
  private pending: Buffer[] = [];
  private closed = false;
  /** What close() does once the CONNACK has come and the pending messages are written. */
  private onReady: (() => void) | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  publish(topic: string, payload: string): void {
    if (this.closed) return;
    const bytes = mqttPacket.generate({ cmd: "publish", topic, payload, qos: 0, retain: false, dup: false });
    if (this.ready && this.socket !== undefined) this.socket.write(bytes);
    else {
      this.pending.push(bytes);
      this.open();
    }
  }

  /** Says DISCONNECT once what was written has gone out (after the CONNACK, if it is still awaited). */
  async close(): Promise<void> {
    this.closed = true;
    const s = this.socket;
    if (s === undefined || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once("close", () => resolve());
      const bye = () => s.end(mqttPacket.generate({ cmd: "disconnect" }));
      if (this.ready) bye();
      else {
        this.onReady = bye;
        // A broker that never answers is not waited for.
        setTimeout(() => s.destroy(), CONNACK_WAIT_MS).unref();
      }
    });
  }

  private open(): void {
    if (this.socket !== undefined) return;
    const socket = connect(this.port, this.host);
    this.socket = socket;
    const parser = mqttPacket.parser();
    parser.on("packet", (p) => {
      if (p.cmd !== "connack") return;
      this.ready = true;
      for (const b of this.pending) socket.write(b);
      this.pending = [];
      this.onReady?.();
      this.onReady = undefined;
    });
    socket.on("data", (d: Buffer) => parser.parse(d));
    socket.on("connect", () =>
      socket.write(
        mqttPacket.generate({
          cmd: "connect",
          protocolId: "MQTT",
          protocolVersion: 4,
          clean: true,
          keepalive: 0,
          clientId: `aws-iot-emulator-${randomUUID().slice(0, 8)}`,
        }),
      ),
    );
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      this.socket = undefined;
      this.ready = false;
    });
  }
}
