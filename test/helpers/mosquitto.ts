import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import type { TestPki } from "./certs.js";
import { freePort } from "./free-port.js";
import { pollUntil } from "./poll.js";
import { requireTool } from "./require-tool.js";

/** A real Mosquitto 2 broker: an mTLS listener and a plain TCP one, both on loopback. */
export class Mosquitto {
  private child: ChildProcess | undefined;
  private stderr = "";
  private constructor(
    readonly tlsPort: number,
    readonly plainPort: number,
    private readonly configFile: string,
  ) {}

  static async start(pki: TestPki): Promise<Mosquitto> {
    const tlsPort = await freePort();
    const plainPort = await freePort();
    const configFile = join(pki.dir, "mosquitto.conf");
    writeFileSync(
      configFile,
      [
        "per_listener_settings false",
        "allow_anonymous true",
        "persistence false",
        // Keys are readable by root only; do not drop to the mosquitto user before reading them.
        "user root",
        "log_dest stderr",
        "log_type error",
        `listener ${tlsPort} 127.0.0.1`,
        `cafile ${pki.caCert}`,
        `certfile ${pki.serverCert}`,
        `keyfile ${pki.serverKey}`,
        "require_certificate true",
        `listener ${plainPort} 127.0.0.1`,
        "",
      ].join("\n"),
    );
    const m = new Mosquitto(tlsPort, plainPort, configFile);
    await m.restart();
    return m;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null;
  }

  async restart(): Promise<void> {
    if (this.running) await this.stop();
    const child = spawn(requireTool("mosquitto"), ["-c", this.configFile], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.child = child;
    await pollUntil(
      () =>
        new Promise<true | undefined>((resolve) => {
          const s = connect(this.plainPort, "127.0.0.1");
          s.once("connect", () => {
            s.destroy();
            resolve(true);
          });
          s.once("error", () => resolve(undefined));
        }),
      `mosquitto listening (stderr: ${this.stderr})`,
      15_000,
      50,
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
}
