import { createHash, type X509Certificate } from "node:crypto";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { createServer as createTlsServer, type TLSSocket, type TlsOptions } from "node:tls";
import { AWS_LIMITS, ConnectThrottle, topicMatches, type AwsLimits, type DisconnectReason } from "./aws-rules.js";
import { BrokerPublisher, type LifecycleSink } from "./broker-publisher.js";
import { EmulatedSession, type Admission, type SessionHost } from "./emulated-session.js";
import { TakeoverOrder } from "./takeover-order.js";
import { UnreliableSink, type Unreliability } from "./unreliable-sink.js";
import { connectFailedEvent, connectedEvent, disconnectedEvent, lifecycleTopic, type LifecycleEvent } from "./lifecycle-events.js";

export interface EmulatorOptions {
  /**
   * The broker behind the emulator (Mosquitto in tests). `mqtt5: false` for an MQTT 3.1.1-only
   * broker (the demo's aedes): the emulator then terminates MQTT 5 for its clients.
   */
  upstream: { host: string; port: number; mqtt5?: boolean };
  /** Overrides of AWS's limits (AWS's own units). */
  limits?: Partial<AwsLimits>;
  /** AWS durations (keep-alive bounds, connection TTL) are divided by this, so tests take seconds (default 1). */
  timeScale?: number;
  /**
   * Treat every connection as a WebSocket one (WEBSOCKET_TTL_EXPIRATION after the WebSocket
   * duration limit) or as a custom authorizer's with `disconnectAfterInSeconds`
   * (CUSTOMAUTH_TTL_EXPIRATION). Certificate connections have no such limit: leave it unset.
   */
  ttl?: { reason: "WEBSOCKET_TTL_EXPIRATION" | "CUSTOMAUTH_TTL_EXPIRATION"; seconds?: number };
  /** The deny list standing in for the IoT policy: client IDs refused at CONNECT, topic filters refused on PUBLISH/SUBSCRIBE. */
  deny?: { clientIds?: string[]; topics?: string[] };
  /** Terminate TLS (mutual TLS, as AWS IoT Core's 8883): the principal becomes the client certificate's SHA-256. */
  tls?: TlsOptions;
  /** Where lifecycle events go (default: published to the upstream broker). */
  sink?: LifecycleSink;
  /** Deliver lifecycle events late, twice or out of order, as AWS warns they may come. */
  unreliable?: Unreliability;
  /** Wall clock for event timestamps and timers (default Date.now). */
  now?: () => number;
  /** How often keep-alive timers are checked, real ms (default 50). */
  tickMs?: number;
}

/**
 * A proxy in front of a real MQTT broker that behaves as AWS IoT Core's message broker does at its
 * documented limits, and publishes AWS's lifecycle events about every connection it closes. See
 * docs/emulator.md for each rule and its page.
 */
export class AwsIotEmulator implements SessionHost {
  readonly limits: AwsLimits;
  readonly timeScale: number;
  /** Settable while running (the demo turns it on for a scenario). */
  ttl: { seconds: number; reason: DisconnectReason } | undefined;
  readonly upstreamSpeaksMqtt5: boolean;
  readonly deny: { clientIds: Set<string>; topics: Set<string> };
  /** Every lifecycle event published, in order (what a subscriber to `$aws/events/#` would get). */
  readonly events: LifecycleEvent[] = [];
  private readonly server: Server;
  private readonly sink: LifecycleSink;
  private readonly throttle: ConnectThrottle;
  private readonly sessions = new Set<EmulatedSession>();
  private readonly byClientId = new Map<string, EmulatedSession>();
  private readonly versions = new Map<string, number>();
  /** A replaced session's end waits for its newcomer's `connected` event, as AWS publishes them. */
  private readonly takeovers = new TakeoverOrder<EmulatedSession, [EmulatedSession, DisconnectReason]>();
  private readonly ticker: NodeJS.Timeout;
  private networkDown = false;
  private blackholed = false;
  /** Connections AWS closed during a blackhole whose client sockets are let go when it ends. */
  private readonly heldInBlackhole = new Set<EmulatedSession>();
  readonly now: () => number;

  constructor(private readonly options: EmulatorOptions) {
    this.limits = { ...AWS_LIMITS, ...options.limits };
    this.timeScale = options.timeScale ?? 1;
    this.upstreamSpeaksMqtt5 = options.upstream.mqtt5 ?? true;
    this.ttl = options.ttl === undefined ? undefined : { reason: options.ttl.reason, seconds: options.ttl.seconds ?? this.limits.connectionTtlSeconds };
    this.deny = { clientIds: new Set(options.deny?.clientIds), topics: new Set(options.deny?.topics) };
    this.now = options.now ?? Date.now;
    const sink = options.sink ?? new BrokerPublisher(options.upstream.host, options.upstream.port);
    this.sink = options.unreliable === undefined ? sink : new UnreliableSink(sink, options.unreliable);
    this.throttle = new ConnectThrottle(this.limits.connectIntervalMs);
    this.server =
      options.tls === undefined
        ? createServer((s) => this.accept(s, undefined))
        : createTlsServer({ ...options.tls, requestCert: true }, (s) => this.accept(s, s));
    this.ticker = setInterval(() => {
      const now = this.now();
      for (const s of this.sessions) s.tick(now);
    }, options.tickMs ?? 50);
    this.ticker.unref();
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    return this.port;
  }

  /** Open connections, all or one client ID's. */
  connections(clientId?: string): EmulatedSession[] {
    return [...this.sessions].filter((s) => clientId === undefined || s.clientId === clientId);
  }

  /** The network between device and AWS breaks: AWS sees CONNECTION_LOST. */
  cut(clientId?: string): number {
    const victims = this.connections(clientId);
    for (const s of victims) s.close("CONNECTION_LOST");
    return victims.length;
  }

  /**
   * The route to the client is lost and AWS does not notice (a NAT mapping expired, a path
   * reset): nothing more gets through either way, and the client's own close never reaches AWS,
   * which keeps the session open until its keep-alive timer fires or the client's reconnect
   * takes it over (DUPLICATE_CLIENTID). `reset`: the client's connection is closed at once (a
   * middlebox's RST); otherwise it learns nothing until its ping times out. New connections pass.
   */
  loseRoute(clientId?: string, reset = false): number {
    const victims = this.connections(clientId);
    for (const s of victims) s.loseRoute(reset);
    return victims.length;
  }

  /** AWS closes a connection on its own initiative (API_INITIATED_DISCONNECT is DeleteConnection; SERVER_INITIATED_DISCONNECT is maintenance). */
  disconnect(clientId: string, reason: DisconnectReason): number {
    const victims = this.connections(clientId);
    for (const s of victims) s.close(reason);
    return victims.length;
  }

  /** The network is down: every connection is lost (CONNECTION_LOST) and new ones are closed on arrival until it is back. */
  setNetworkDown(down: boolean): void {
    this.networkDown = down;
    if (down) this.cut();
  }

  /**
   * A silent outage (a dead zone, a blackholed route): packets are lost both ways and new
   * connections fail, so AWS hears nothing, not even the client's FIN, until its keep-alive
   * timer fires (MQTT_KEEP_ALIVE_TIMEOUT) while the client sees a ping timeout.
   */
  setBlackhole(on: boolean): void {
    this.blackholed = on;
    for (const s of this.sessions) s.blackhole(on);
    if (!on) for (const s of this.heldInBlackhole) s.blackhole(false);
    if (!on) this.heldInBlackhole.clear();
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    this.setBlackhole(false);
    for (const s of this.sessions) s.close("SERVER_INITIATED_DISCONNECT");
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.sink.close();
  }

  // --- SessionHost ---

  admit(session: EmulatedSession): Admission {
    const id = session.clientId;
    // [LIFECYCLE] "The version number ... monotonically increasing ... for each client ID connection."
    session.versionNumber = (this.versions.get(id) ?? -1) + 1;
    this.versions.set(id, session.versionNumber);
    if (this.deny.clientIds.has(id)) {
      // [LIFECYCLE] "Connect attempt failure event": a client not authorized to connect.
      this.emit(connectFailedEvent(session, this.now()));
      return "denied";
    }
    if (!this.throttle.admit(id, this.now())) {
      // AWS documents no event for a throttled CONNECT, so none is written: a `disconnected` event
      // says a session existed and ended, and one the client never had reads as a half-open session.
      return "throttled";
    }
    // [LIFECYCLE] DUPLICATE_CLIENTID: "the client that is already connected will be disconnected".
    const old = this.byClientId.get(id);
    if (old !== undefined && old !== session) {
      this.takeovers.replacing(old, session);
      old.close("DUPLICATE_CLIENTID");
    }
    this.byClientId.set(id, session);
    return "accepted";
  }

  denied(topic: string): boolean {
    for (const filter of this.deny.topics) if (topicMatches(filter, topic)) return true;
    return false;
  }

  openUpstream(): Duplex {
    return connect(this.options.upstream.port, this.options.upstream.host);
  }

  onConnected(session: EmulatedSession): void {
    this.emit(connectedEvent(session, this.now()));
    // [LIFECYCLE] DUPLICATE_CLIENTID: the newcomer is accepted, then the session it replaces is closed.
    for (const [old, reason] of this.takeovers.connected(session)) this.emit(disconnectedEvent(old, this.now(), reason));
  }

  onClosed(session: EmulatedSession, reason: DisconnectReason | undefined): void {
    this.sessions.delete(session);
    if (session.heldInBlackhole) this.heldInBlackhole.add(session);
    if (this.byClientId.get(session.clientId) === session) this.byClientId.delete(session.clientId);
    for (const [s, r] of this.takeovers.closed(session, reason === undefined ? undefined : [session, reason])) this.emit(disconnectedEvent(s, this.now(), r));
  }

  private emit(event: LifecycleEvent): void {
    this.events.push(event);
    this.sink.publish(lifecycleTopic(event), JSON.stringify(event));
  }

  private accept(socket: Socket, tls: TLSSocket | undefined): void {
    if (this.networkDown || this.blackholed) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const ip = (socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const session = new EmulatedSession(socket, ip, (clientId) => principalOf(tls, clientId), this);
    this.sessions.add(session);
  }
}

/**
 * [LIFECYCLE] principalIdentifier: "For TLS mutual authentication certificates, this is the
 * certificate ID" (AWS's certificate ID is the certificate's SHA-256). Without TLS a stable
 * stand-in is derived from the client ID.
 */
function principalOf(tls: TLSSocket | undefined, clientId: string): string {
  const cert: X509Certificate | undefined = tls?.getPeerX509Certificate();
  if (cert !== undefined) return cert.fingerprint256.replaceAll(":", "").toLowerCase();
  return createHash("sha256").update(clientId).digest("hex");
}
