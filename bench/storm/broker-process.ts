/**
 * The storm's Mosquitto, started and restarted from a small process of its own: spawning a
 * program from the measured process (hundreds of MB and a thousand sockets) held its event loop
 * for 100-140 ms at every restart, which the storm's figures then counted as the service's.
 * Run as `fork(this file, [dir])`: replies { port } once listening, then "restarted" to each
 * { restart: downMs } and exits after { stop: true }.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { BenchBroker } from "../restarts/broker.js";

type Request = { restart: number } | { stop: true };

/** What the storm needs of its broker. */
export interface StormBroker {
  readonly port: number;
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
  killNow(): void;
}

/** A BenchBroker in its own process. */
export async function startBrokerProcess(dir: string): Promise<StormBroker> {
  const child = fork(fileURLToPath(import.meta.url), [dir], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const reply = () =>
    new Promise<unknown>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`the broker process exited (${code})`));
      child.once("exit", exited);
      child.once("message", (m) => {
        child.off("exit", exited);
        resolve(m);
      });
    });
  const { port } = (await reply()) as { port: number };
  const ask = async (request: Request) => {
    const answer = reply();
    child.send(request);
    await answer;
  };
  return {
    port,
    restart: (downMs) => ask({ restart: downMs }),
    stop: () => ask({ stop: true }).catch(() => undefined),
    killNow: () => void child.kill("SIGTERM"),
  };
}

const dir = process.argv[2];
if (process.send !== undefined && dir !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  const broker = await BenchBroker.start(dir);
  const send = (m: unknown) => new Promise<void>((r) => process.send?.(m, () => r()));
  // The parent gone (a signal): stop the broker, whose port would otherwise stay taken.
  process.once("disconnect", () => void broker.stop().then(() => process.exit(0)));
  process.once("SIGTERM", () => {
    broker.killNow();
    process.exit(143);
  });
  process.on("message", (m: Request) => {
    if ("restart" in m) void broker.restart(m.restart).then(() => send("restarted"));
    else
      void broker
        .stop()
        .then(() => send("stopped"))
        .then(() => process.exit(0));
  });
  await send({ port: broker.port });
}
