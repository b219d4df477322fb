import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import * as mqttPacket from "mqtt-packet";
import { CONNECTION_RATE_EXCEEDED, MQTT5_REASON, NOT_AUTHORIZED, PublishRate, QUOTA_EXCEEDED, effectiveKeepAliveSeconds } from "./aws-rules.js";
import type { AwsLimits, DisconnectReason } from "./aws-rules.js";
import type { SessionFacts } from "./lifecycle-events.js";
import { Mqtt5To311Bridge } from "./mqtt5-bridge.js";

export type Admission = "accepted" | "denied" | "throttled";

/** What a session needs from the emulator that owns it. */
export interface SessionHost {
  readonly limits: AwsLimits;
  /** AWS durations (keep-alive bounds, connection TTL) are divided by this. */
  readonly timeScale: number;
  readonly ttl: { seconds: number; reason: DisconnectReason } | undefined;
  /** False when the broker behind speaks MQTT 3.1.1 only: the emulator then terminates MQTT 5 itself. */
  readonly upstreamSpeaksMqtt5: boolean;
  now(): number;
  admit(session: EmulatedSession): Admission;
  denied(topic: string): boolean;
  openUpstream(): Duplex;
  onConnected(session: EmulatedSession): void;
  /** `reason` is set when the connection had been accepted (AWS then publishes a disconnected event). */
  onClosed(session: EmulatedSession, reason: DisconnectReason | undefined): void;
}

/** [QUOTAS] "This timer is reset whenever AWS IoT receives a PUBLISH, SUBSCRIBE, PING, or PUBACK message from the client." */
const KEEP_ALIVE_RESETS = new Set(["publish", "subscribe", "pingreq", "puback"]);

/**
 * One client connection through the emulator: reads MQTT 3.1.1 and 5 packets both ways with
 * mqtt-packet, applies AWS IoT Core's rules (see aws-rules.ts for the pages), forwards the rest to
 * the broker, and closes the connection as AWS does: an MQTT 5 client gets a DISCONNECT (or a
 * CONNACK) with a reason code, an MQTT 3.1.1 client a hang-up.
 */
export class EmulatedSession implements SessionFacts {
  clientId = "";
  readonly sessionIdentifier = randomUUID();
  principalIdentifier = "";
  versionNumber = 0;
  protocolVersion = 4;
  state: "new" | "connecting" | "connected" | "closed" = "new";
  private keepAliveLimitMs = 0;
  private lastHeardMs = 0;
  private connectedAtMs = 0;
  private upstream: Duplex | undefined;
  private bridge: Mqtt5To311Bridge | undefined;
  private readonly subscriptions = new Set<string>();
  private readonly publishRate = new PublishRate();
  /** Packets are lost both ways, and the client's FIN too: AWS learns nothing until its keep-alive timer fires. */
  private blackholed = false;
  private readonly clientParser = mqttPacket.parser();

  constructor(
    private readonly client: Duplex,
    readonly ipAddress: string,
    private readonly principalOf: (clientId: string) => string,
    private readonly host: SessionHost,
  ) {
    this.clientParser.on("packet", (p: mqttPacket.Packet) => this.fromClient(p));
    // A malformed packet is a protocol error: AWS closes such clients with CLIENT_ERROR.
    this.clientParser.on("error", () => this.close("CLIENT_ERROR"));
    client.on("data", (d: Buffer) => this.clientParser.parse(d));
    client.on("error", () => this.close("CONNECTION_LOST"));
    client.on("close", () => {
      if (!this.blackholed) this.close("CONNECTION_LOST");
    });
  }

  /** The silence after which the server gives up, in real milliseconds (for tests and logs). */
  get keepAliveTimeoutMs(): number {
    return this.keepAliveLimitMs;
  }

  /** Checks the keep-alive timer; the emulator calls it on a short tick. */
  tick(nowMs: number): void {
    if (this.state === "connected" && nowMs - this.lastHeardMs > this.keepAliveLimitMs) this.close("MQTT_KEEP_ALIVE_TIMEOUT");
  }

  /** Closed by AWS during a blackhole, its client socket still open (the client cannot know yet). */
  get heldInBlackhole(): boolean {
    return this.state === "closed" && this.blackholed && !this.client.destroyed;
  }

  /** Drops everything both ways (a silent network outage), or lets it through again. */
  blackhole(on: boolean): void {
    this.blackholed = on;
    if (on) this.client.pause();
    else if (this.state === "closed") this.client.destroy();
    else if (this.client.destroyed) this.close("CONNECTION_LOST");
    else this.client.resume();
  }

  /** The route to the client is lost without AWS noticing: the client hears nothing more, or (`reset`) is closed at once. */
  loseRoute(reset: boolean): void {
    this.blackhole(true);
    if (reset) this.client.destroy();
  }

  /** Ends the connection for `reason`, telling an MQTT 5 client why (`code` overrides the reason's code). */
  close(reason: DisconnectReason, code = MQTT5_REASON[reason]): void {
    if (this.state === "closed") return;
    const accepted = this.state === "connected";
    this.state = "closed";
    if (reason === "CLIENT_INITIATED_DISCONNECT") this.upstream?.end();
    else this.upstream?.destroy();
    // In a blackhole not even AWS's FIN reaches the client: its socket is let go when the outage ends.
    if (this.blackholed && !this.client.destroyed) {
      this.host.onClosed(this, accepted ? reason : undefined);
      return;
    }
    if (reason === "CONNECTION_LOST" || this.client.destroyed) this.client.destroy();
    else if (this.protocolVersion === 5 && code !== undefined && accepted) this.client.end(this.encode({ cmd: "disconnect", reasonCode: code }));
    else this.client.end();
    // A client that does not close its side is cut off.
    setTimeout(() => this.client.destroy(), 2000).unref();
    this.host.onClosed(this, accepted ? reason : undefined);
  }

  private encode(p: mqttPacket.Packet): Buffer {
    return mqttPacket.generate(p, { protocolVersion: this.protocolVersion });
  }

  private toUpstream(p: mqttPacket.Packet): void {
    if (this.bridge === undefined) this.upstream?.write(this.encode(p));
    else this.upstream?.write(mqttPacket.generate(this.bridge.toBroker(p), { protocolVersion: 4 }));
  }

  private fromClient(p: mqttPacket.Packet): void {
    if (this.state === "closed") return;
    const now = this.host.now();
    if (this.state === "new") {
      if (p.cmd === "connect") this.onConnect(p);
      else this.close("CLIENT_ERROR");
      return;
    }
    if (KEEP_ALIVE_RESETS.has(p.cmd)) this.lastHeardMs = now;
    if (this.ttlExpired(now)) return;
    if (this.breaksRule(p, now)) return;
    this.toUpstream(p);
    if (p.cmd === "disconnect") this.close("CLIENT_INITIATED_DISCONNECT");
  }

  /** Applies the per-packet rules; true when the packet closed the connection. */
  private breaksRule(p: mqttPacket.Packet, now: number): boolean {
    const limits = this.host.limits;
    switch (p.cmd) {
      // [LIFECYCLE] CLIENT_ERROR: "sending more than 1 MQTT CONNECT packet on the same connection".
      case "connect":
        this.close("CLIENT_ERROR");
        return true;
      case "publish": {
        const size = typeof p.payload === "string" ? Buffer.byteLength(p.payload) : p.payload.length;
        // [QUOTAS] "Message size" 128 KB; [LIFECYCLE] CLIENT_ERROR: "publish with a payload that exceeds the payload limit".
        if (size > limits.maxPayloadBytes) this.close("CLIENT_ERROR");
        else if (this.host.denied(p.topic)) this.close("FORBIDDEN_ACCESS");
        // [QUOTAS] "Publish requests per second per connection"; [LIFECYCLE] THROTTLED.
        else if (this.publishRate.exceeded(now, limits.publishesPerSecond)) this.close("THROTTLED");
        else return false;
        return true;
      }
      case "subscribe":
        if (p.subscriptions.some((s) => this.host.denied(s.topic))) {
          this.close("FORBIDDEN_ACCESS");
          return true;
        }
        for (const s of p.subscriptions) this.subscriptions.add(s.topic);
        // [QUOTAS] "Subscriptions per connection": over 50 "the connection will be closed".
        if (this.subscriptions.size > limits.maxSubscriptions) {
          this.close("THROTTLED", QUOTA_EXCEEDED);
          return true;
        }
        return false;
      case "unsubscribe":
        for (const t of p.unsubscriptions) this.subscriptions.delete(t);
        return false;
      default:
        return false;
    }
  }

  private onConnect(p: mqttPacket.IConnectPacket): void {
    this.clientId = p.clientId;
    this.protocolVersion = p.protocolVersion ?? 4;
    this.principalIdentifier = this.principalOf(p.clientId);
    const scale = this.host.timeScale;
    const limits = this.host.limits;
    const bounds = { keepAliveMinSeconds: limits.keepAliveMinSeconds / scale, keepAliveMaxSeconds: limits.keepAliveMaxSeconds / scale };
    this.keepAliveLimitMs = effectiveKeepAliveSeconds(p.keepalive ?? 0, bounds) * limits.keepAliveFactor * 1000;
    const admission = this.host.admit(this);
    if (admission !== "accepted") {
      this.state = "closed";
      // [MQTT] MQTT 5 clients are told why in the CONNACK; AWS hangs up on MQTT 3.1.1 ones.
      if (this.protocolVersion === 5) {
        const reasonCode = admission === "denied" ? NOT_AUTHORIZED : CONNECTION_RATE_EXCEEDED;
        this.client.end(this.encode({ cmd: "connack", reasonCode, sessionPresent: false }));
      } else this.client.end();
      setTimeout(() => this.client.destroy(), 2000).unref();
      this.host.onClosed(this, undefined);
      return;
    }
    this.state = "connecting";
    const upstream = this.host.openUpstream();
    this.upstream = upstream;
    if (this.protocolVersion === 5 && !this.host.upstreamSpeaksMqtt5) this.bridge = new Mqtt5To311Bridge();
    const parser = mqttPacket.parser({ protocolVersion: this.bridge === undefined ? this.protocolVersion : 4 });
    parser.on("packet", (q: mqttPacket.Packet) => this.fromUpstream(q));
    parser.on("error", () => this.close("SERVER_ERROR"));
    upstream.on("data", (d: Buffer) => parser.parse(d));
    upstream.on("error", () => this.close("SERVER_INITIATED_DISCONNECT"));
    upstream.on("close", () => this.close("SERVER_INITIATED_DISCONNECT"));
    // The emulator enforces AWS's keep-alive itself; the broker behind must not race it with its own.
    this.toUpstream({ ...p, keepalive: 0 });
  }

  private fromUpstream(broker: mqttPacket.Packet): void {
    if (this.state === "closed") return;
    const p = this.bridge === undefined ? broker : this.bridge.toClient(broker);
    // The broker saw keep-alive 0 and may answer with its own Server Keep Alive: not the client's business.
    if (p.cmd === "connack" && p.properties?.serverKeepAlive !== undefined) delete p.properties.serverKeepAlive;
    const now = this.host.now();
    if (p.cmd === "connack" && this.state === "connecting") {
      if ((p.reasonCode ?? p.returnCode ?? 0) === 0) {
        this.state = "connected";
        this.connectedAtMs = now;
        // [QUOTAS] "AWS IoT starts the keep-alive timer for a client when sending CONNACK".
        this.lastHeardMs = now;
        this.host.onConnected(this);
      }
    } else if (this.ttlExpired(now)) return;
    if (!this.blackholed) this.client.write(this.encode(p));
  }

  /**
   * [QUOTAS] "WebSocket connection duration": past 24 hours "the WebSocket connection is
   * automatically closed when an attempt is made to send a message by the client or server".
   */
  private ttlExpired(now: number): boolean {
    const ttl = this.host.ttl;
    if (ttl === undefined || this.state !== "connected") return false;
    if (now - this.connectedAtMs < (ttl.seconds / this.host.timeScale) * 1000) return false;
    this.close(ttl.reason);
    return true;
  }
}
