import { spawn, type ChildProcess } from "node:child_process";
import { MAIN } from "./cli.js";
import { onFreePorts } from "./free-port.js";
import { untilListening } from "./listening.js";

export interface ListeningCli {
  readonly child: ChildProcess;
  /** The port of its `--web.listen-address` on 127.0.0.1. */
  readonly port: number;
  /** stdout and stderr together, as they arrived. */
  output(): string;
  stderr(): string;
  /** Its exit code (null after a signal). */
  readonly exited: Promise<number | null>;
}

/**
 * The built CLI with `args` and `--web.listen-address 127.0.0.1:PORT` on a free port, returned
 * once it listens there itself; started again on another port when the one chosen was taken
 * before it could bind it (it exits 2 saying EADDRINUSE).
 */
export async function spawnListening(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ListeningCli> {
  return onFreePorts(1, async ([port = 0]) => {
    const child = spawn(process.execPath, [MAIN, ...args, "--web.listen-address", `127.0.0.1:${port}`], {
      stdio: ["ignore", "pipe", "pipe"],
      ...(env === undefined ? {} : { env }),
    });
    let output = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    await untilListening(child, [port], `mqtt-diagnostics ${args[0] ?? ""}`.trim(), () => output);
    return { child, port, output: () => output, stderr: () => stderr, exited };
  });
}
