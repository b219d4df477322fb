import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { createServer, type Server, type TLSSocket } from "node:tls";
import type { TestPki } from "./certs.js";

/**
 * A TLS terminator in front of a plain broker listener that records what clients offered and
 * sent: the ALPN names of each handshake (Mosquitto cannot require or report ALPN) and the first
 * cleartext bytes (a WebSocket upgrade request with its SigV4 query). It also stands in for the
 * TLS a Mosquitto 2.0.11 websockets listener cannot do.
 */
export class TlsFront {
  /** The ALPN names each client offered, in handshake order (clients that offered none: absent). */
  readonly alpnOffered: string[][] = [];
  /** The first cleartext chunk of each connection. */
  readonly firstBytes: string[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  private constructor(pki: TestPki, targetPort: number, mutual: boolean) {
    this.server = createServer(
      {
        cert: readFileSync(pki.serverCert),
        key: readFileSync(pki.serverKey),
        ca: readFileSync(pki.caCert),
        requestCert: mutual,
        rejectUnauthorized: mutual,
        ALPNCallback: ({ protocols }) => {
          this.alpnOffered.push(protocols);
          return protocols[0];
        },
      },
      (client: TLSSocket) => this.accept(client, targetPort),
    );
  }

  static async start(pki: TestPki, targetPort: number, options: { mutual?: boolean } = {}): Promise<TlsFront> {
    const front = new TlsFront(pki, targetPort, options.mutual ?? false);
    await new Promise<void>((resolve) => front.server.listen(0, "127.0.0.1", resolve));
    return front;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === "object" && address !== null ? address.port : 0;
  }

  private accept(client: TLSSocket, targetPort: number): void {
    const upstream = connect(targetPort, "127.0.0.1");
    this.sockets.add(client).add(upstream);
    client.once("data", (chunk: Buffer) => this.firstBytes.push(chunk.toString("latin1")));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
