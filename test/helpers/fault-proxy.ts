import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";

export type ProxyMode = "pass" | "blackhole" | "refuse";

interface Pair {
  client: Socket;
  upstream: Socket;
}

/**
 * A TCP proxy that injects the faults a network or a broker would: cut every connection,
 * blackhole (stop forwarding, sockets stay open, as a dead NAT mapping does), refuse new
 * connections, or write raw bytes toward the client (e.g. an MQTT 5 DISCONNECT packet).
 */
export class FaultProxy {
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private currentMode: ProxyMode = "pass";
  /** Connections the proxy accepted (refused ones included). */
  accepted = 0;

  constructor(
    private readonly targetHost: string,
    private targetPort: number,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  get mode(): ProxyMode {
    return this.currentMode;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    return this.port;
  }

  retarget(port: number): void {
    this.targetPort = port;
  }

  setMode(mode: ProxyMode): void {
    this.currentMode = mode;
    for (const p of this.pairs) {
      if (mode === "blackhole") {
        p.client.pause();
        p.upstream.pause();
      } else {
        p.client.resume();
        p.upstream.resume();
      }
    }
  }

  /** Closes every proxied connection at once (a reset, as a broker restart or link loss). */
  cut(): number {
    const n = this.pairs.size;
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    this.pairs.clear();
    return n;
  }

  /** Writes bytes toward every client, then closes its connection as a server would. */
  injectToClients(bytes: Uint8Array): number {
    const n = this.pairs.size;
    for (const p of this.pairs) {
      p.upstream.unpipe(p.client);
      p.upstream.destroy();
      p.client.end(bytes);
    }
    this.pairs.clear();
    return n;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.accepted++;
    if (this.currentMode === "refuse") {
      client.destroy();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    const drop = () => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.currentMode === "blackhole") {
      client.pause();
      upstream.pause();
    }
  }
}

/** An MQTT 5 DISCONNECT packet from the server with the given reason code and no properties. */
export function mqtt5DisconnectPacket(reasonCode: number): Uint8Array {
  return Uint8Array.from([0xe0, 0x02, reasonCode, 0x00]);
}
