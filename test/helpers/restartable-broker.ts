import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { pollUntil } from "./poll.js";
import { requireTool } from "./require-tool.js";

/** Spins on the CPU: nothing else runs on this thread meanwhile (timers, sockets, SDK callbacks). */
export function blockEventLoop(until: () => boolean, maxMs: number): void {
  const end = Date.now() + maxMs;
  while (!until() && Date.now() < end) {
    // busy: the SDK's own threads keep running and queue their callbacks
  }
}

export interface RestartableBroker {
  readonly port: number;
  /** Starts a new run synchronously; returns the file it logs to. */
  start(): string;
  /** SIGKILLs the current run. */
  kill(): void;
  /** SIGKILLs every run (for the test's cleanup). */
  killAll(): void;
  logged(log: string, text: string): boolean;
}

/**
 * A Mosquitto on a fixed port of its own that can be killed and started synchronously, so also
 * while the event loop is blocked; each run logs to its own file in `dir`, which shows who connected.
 */
export async function restartableBroker(dir: string, name: string): Promise<RestartableBroker> {
  const port = await freePort();
  const conf = join(dir, `${name}.conf`);
  const runs: { child: ChildProcess; log: string }[] = [];
  const broker: RestartableBroker = {
    port,
    start(): string {
      const log = join(dir, `${name}-${runs.length}.log`);
      writeFileSync(
        conf,
        ["allow_anonymous true", "persistence false", "user root", "log_type all", `log_dest file ${log}`, `listener ${port} 127.0.0.1`, ""].join("\n"),
      );
      runs.push({ child: spawn(requireTool("mosquitto"), ["-c", conf], { stdio: "ignore" }), log });
      return log;
    },
    kill(): void {
      runs.at(-1)?.child.kill("SIGKILL");
    },
    killAll(): void {
      for (const r of runs) r.child.kill("SIGKILL");
    },
    logged: (log: string, text: string) => existsSync(log) && readFileSync(log, "utf8").includes(text),
  };
  const first = broker.start();
  await pollUntil(() => (broker.logged(first, "Opening ipv4 listen socket") ? true : undefined), `${name} listening`);
  return broker;
}
