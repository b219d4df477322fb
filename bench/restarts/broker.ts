import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { onFreePorts } from "../../test/helpers/free-port.js";
import { untilListening } from "../../test/helpers/listening.js";

const MOSQUITTO = process.env["MOSQUITTO_BIN"] ?? "/usr/sbin/mosquitto";

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
    return onFreePorts(1, async ([port = 0]) => {
      const configFile = join(dir, "mosquitto.conf");
      writeFileSync(
        configFile,
        [
          `listener ${port} 127.0.0.1`,
          "allow_anonymous true",
          "persistence false",
          "max_connections -1",
          "max_keepalive 65535",
          // Errors only (a port in use, say): no line per client.
          "log_dest stderr",
          "log_type error",
          "",
        ].join("\n"),
      );
      const broker = new BenchBroker(port, configFile);
      await broker.launch();
      return broker;
    });
  }

  private async launch(): Promise<void> {
    const child = spawn(MOSQUITTO, ["-c", this.configFile], { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    await untilListening(child, [this.port], `mosquitto (${MOSQUITTO}; MOSQUITTO_BIN)`, () => stderr);
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
