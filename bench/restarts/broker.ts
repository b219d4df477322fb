import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort } from "../../test/helpers/free-port.js";

const MOSQUITTO = process.env["MOSQUITTO_BIN"] ?? "/usr/sbin/mosquitto";

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

/**
 * A Mosquitto on loopback that can be restarted on the same port. `max_connections -1` (no cap)
 * and the file descriptors it inherits from this process (see `openFilesLimit`) let it hold
 * thousands of clients. Not test/helpers/mosquitto.ts: that one needs a test PKI (an mTLS listener)
 * and finds its binary through scripts/test-tools.txt, which is not beside the built bench.
 */
export class BenchBroker {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly configFile: string,
  ) {}

  static async start(dir: string): Promise<BenchBroker> {
    const port = await freePort();
    const configFile = join(dir, "mosquitto.conf");
    writeFileSync(
      configFile,
      [`listener ${port} 127.0.0.1`, "allow_anonymous true", "persistence false", "max_connections -1", "max_keepalive 65535", "log_dest none", ""].join("\n"),
    );
    const broker = new BenchBroker(port, configFile);
    await broker.launch();
    return broker;
  }

  private async launch(): Promise<void> {
    const child = spawn(MOSQUITTO, ["-c", this.configFile], { stdio: "ignore" });
    this.child = child;
    const end = Date.now() + 15_000;
    while (!(await listening(this.port))) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode} (is ${MOSQUITTO} installed? MOSQUITTO_BIN)`);
      if (Date.now() > end) throw new Error("mosquitto did not listen within 15 s");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops the broker (SIGTERM: it closes every socket), waits `downMs`, starts it again. */
  async restart(downMs: number): Promise<void> {
    await this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.launch();
  }

  /** At once, for a bench interrupted by a signal: an orphaned broker would keep its port. */
  killNow(): void {
    this.child?.kill("SIGKILL");
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
}

/** This process's soft limit on open files (Linux), or undefined where it cannot be read. */
export function openFilesLimit(limits: string): number | undefined {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
  if (m === null) return undefined;
  return m[1] === "unlimited" ? Number.POSITIVE_INFINITY : Number(m[1]);
}
