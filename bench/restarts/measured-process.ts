/**
 * The parent's side of service-process.ts: the measured process forked with `--expose-gc` and
 * BENCH_NODE_FLAGS (V8 flags to measure, e.g. `--max-semi-space-size=1`), inheriting the
 * environment (GLIBC_TUNABLES, MALLOC_ARENA_MAX, LD_PRELOAD apply to it), and its requests as promises.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Mode } from "./layers.js";
import type { Measure, Request } from "./service-process.js";

const SCRIPT = fileURLToPath(new URL("./service-process.js", import.meta.url));

type Op = Request extends infer R ? (R extends { op: infer O } ? O : never) : never;

export interface MeasuredProcess {
  readonly pid: number;
  /** The service's `http://host:port` (mode `service`). */
  readonly address: string | undefined;
  publish(indexes?: number[]): Promise<boolean[]>;
  drops(): Promise<number | undefined>;
  measure(): Promise<Measure>;
  snapshot(file: string): Promise<string>;
  stop(): Promise<void>;
  kill(): void;
}

export interface MeasuredOptions {
  port: number;
  dir: string;
  mode: Mode;
  connections: number;
  maxEvents: number;
  /** Mode `telemetry`: render the exposition in-process this often, in this encoding. */
  renderMs: number;
  encoding: string;
  nodeFlags: readonly string[];
}

export async function startMeasured(o: MeasuredOptions): Promise<MeasuredProcess> {
  const args = [o.port, o.dir, o.mode, o.connections, o.maxEvents, o.renderMs, o.encoding].map(String);
  const child: ChildProcess = fork(SCRIPT, args, { execArgv: ["--expose-gc", ...o.nodeFlags], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 0;
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => {
      const e = new Error(`the measured process exited (${code})`);
      for (const w of waiting.values()) w.reject(e);
      reject(e);
    }),
  );
  exited.catch(() => undefined);
  const ready = new Promise<{ address?: string }>((resolve) => {
    child.on("message", (m: { id?: number; value?: unknown; error?: string; ready?: boolean; address?: string }) => {
      if (m.ready === true) return resolve(m);
      const w = m.id === undefined ? undefined : waiting.get(m.id);
      if (w === undefined || m.id === undefined) return;
      waiting.delete(m.id);
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.value);
    });
  });
  const { address } = await Promise.race([ready, exited]);
  const request = <T>(op: Op, extra: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: (v) => resolve(v as T), reject });
      child.send({ id, op, ...extra });
    });
  return {
    pid: child.pid ?? -1,
    address,
    publish: (indexes) => request<boolean[]>("publish", indexes ? { indexes } : {}),
    drops: () => request<number | undefined>("drops"),
    measure: () => request<Measure>("measure"),
    snapshot: (file) => request<string>("snapshot", { file }),
    async stop() {
      await request("stop");
      await exited.catch(() => undefined);
    },
    kill: () => void child.kill("SIGKILL"),
  };
}
