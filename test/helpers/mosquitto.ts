import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestPki } from "./certs.js";
import { onFreePorts } from "./free-port.js";
import { PortTaken, untilListening } from "./listening.js";
import { requireTool } from "./require-tool.js";

/** An extra listener: its name is the key `Mosquitto.port(name)` takes. */
export interface ListenerSpec {
  /** `mqtt` (TCP, the default) or `websockets` (plain: Mosquitto 2.0.11 cannot start a TLS one; put a TlsFront before it). */
  protocol?: "mqtt" | "websockets";
  /** TLS with the test PKI's server certificate, no client certificate asked. */
  tls?: boolean;
  /** Only these users, by password (a password file); anonymous clients otherwise. */
  users?: Record<string, string>;
}

function passwordFile(file: string, users: Record<string, string>): void {
  writeFileSync(file, "");
  for (const [user, password] of Object.entries(users))
    execFileSync(requireTool("mosquitto_passwd"), ["-b", file, user, password], { stdio: ["ignore", "ignore", "pipe"] });
}

/** A real Mosquitto 2 broker: an mTLS listener, a plain TCP one and the extra ones asked for, all on loopback. */
export class Mosquitto {
  private child: ChildProcess | undefined;
  private stderr = "";
  private readonly usernames = new Map<string, string>();
  private partialLine = "";
  private constructor(
    readonly tlsPort: number,
    readonly plainPort: number,
    private readonly pki: TestPki,
    private readonly extra: Map<string, ListenerSpec & { port: number }>,
    private readonly logClients: boolean,
  ) {}

  /** `logClients`: record each client's username as Mosquitto logs it (see `usernameOf`). */
  static async start(pki: TestPki, extra: Record<string, ListenerSpec> = {}, options: { logClients?: boolean } = {}): Promise<Mosquitto> {
    const specs = Object.entries(extra);
    return onFreePorts(2 + specs.length, async ([tlsPort = 0, plainPort = 0, ...others]) => {
      const listeners = new Map(specs.map(([name, spec], i) => [name, { ...spec, port: others[i] ?? 0 }]));
      const m = new Mosquitto(tlsPort, plainPort, pki, listeners, options.logClients ?? false);
      await m.launch();
      return m;
    });
  }

  /** The port of an extra listener given to start(). */
  port(name: string): number {
    const spec = this.extra.get(name);
    if (spec === undefined) throw new Error(`no listener '${name}'`);
    return spec.port;
  }

  /** The username a client (by client ID) connected with, from Mosquitto's log (`logClients`). */
  usernameOf(clientId: string): string | undefined {
    return this.usernames.get(clientId);
  }

  /** Gives an extra listener a password file of these users (no anonymous clients) and restarts. */
  async setUsers(name: string, users: Record<string, string>): Promise<void> {
    const spec = this.extra.get(name);
    if (spec === undefined) throw new Error(`no listener '${name}'`);
    spec.users = users;
    await this.restart();
  }

  private get configFile(): string {
    return join(this.pki.dir, "mosquitto.conf");
  }

  private writeConfig(): void {
    const pki = this.pki;
    const extraLines: string[] = [];
    for (const [name, spec] of this.extra) {
      extraLines.push(`listener ${spec.port} 127.0.0.1`);
      if (spec.protocol === "websockets") extraLines.push("protocol websockets");
      if (spec.tls === true) extraLines.push(`certfile ${pki.serverCert}`, `keyfile ${pki.serverKey}`);
      if (spec.users === undefined) extraLines.push("allow_anonymous true");
      else {
        const file = join(pki.dir, `mosquitto-${name}.passwd`);
        passwordFile(file, spec.users);
        extraLines.push("allow_anonymous false", `password_file ${file}`);
      }
    }
    writeFileSync(
      this.configFile,
      [
        // Per listener, so one listener can ask for a password and the others not.
        "per_listener_settings true",
        "persistence false",
        // Keys are readable by root only; do not drop to the mosquitto user before reading them.
        "user root",
        "log_dest stderr",
        "log_type error",
        // "New client connected from … as ID (p5, c1, k60, u'USERNAME')" is a notice.
        ...(this.logClients ? ["log_type notice"] : []),
        `listener ${this.tlsPort} 127.0.0.1`,
        "allow_anonymous true",
        `cafile ${pki.caCert}`,
        `certfile ${pki.serverCert}`,
        `keyfile ${pki.serverKey}`,
        "require_certificate true",
        `listener ${this.plainPort} 127.0.0.1`,
        "allow_anonymous true",
        ...extraLines,
        "",
      ].join("\n"),
    );
  }

  private readLog(text: string): void {
    if (!this.logClients) return;
    // Whole lines only: a chunk may end mid-line.
    const lines = (this.partialLine + text).split("\n");
    this.partialLine = lines.pop() ?? "";
    for (const m of lines.join("\n").matchAll(/New client connected from \S+ as (\S+) \([^)]*?u'([^']*)'\)/g))
      this.usernames.set(m[1] as string, m[2] as string);
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  /**
   * Stops the broker if it runs and starts it again on the same ports. A port taken while it was
   * down (a connection's local port, say) is retried until it is free again.
   */
  async restart(): Promise<void> {
    if (this.running) await this.stop();
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        return await this.launch();
      } catch (err) {
        if (!(err instanceof PortTaken) || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Starts Mosquitto and waits until it listens on all of its ports itself. */
  private async launch(): Promise<void> {
    this.writeConfig();
    this.stderr = "";
    const child = spawn(requireTool("mosquitto"), ["-c", this.configFile], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => {
      this.readLog(d.toString());
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.child = child;
    const ports = [this.tlsPort, this.plainPort, ...[...this.extra.values()].map((l) => l.port)];
    await untilListening(child, ports, "mosquitto", () => this.stderr);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
}
