import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onFreePorts } from "./free-port.js";
import { untilListening } from "./listening.js";
import { pollUntil } from "./poll.js";
import { requireTool } from "./require-tool.js";

/** promtool's path; fails naming the Debian package when it is missing. */
export const promtool = (): string => requireTool("promtool");

export interface PrometheusServer {
  url: string;
  /** Instant query; returns the result vector. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Raw API call on /api/v1/<path>. */
  api<T = unknown>(path: string, params?: Record<string, string>): Promise<T>;
  waitForTargetUp(): Promise<void>;
  stop(): Promise<void>;
}

/** A real Prometheus on loopback scraping `targets` every second, with its own temporary storage. */
export async function startPrometheus(targets: string[], options: { ruleFiles?: string[]; scrapeInterval?: string } = {}): Promise<PrometheusServer> {
  return onFreePorts(1, ([port = 0]) => startOn(port, targets, options));
}

async function startOn(port: number, targets: string[], options: { ruleFiles?: string[]; scrapeInterval?: string }): Promise<PrometheusServer> {
  const prometheus = requireTool("prometheus");
  const dir = mkdtempSync(join(tmpdir(), "mde-prom-"));
  const interval = options.scrapeInterval ?? "1s";
  const config = [
    "global:",
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    ...(options.ruleFiles?.length ? ["rule_files:", ...options.ruleFiles.map((f) => `  - ${JSON.stringify(f)}`)] : []),
    "scrape_configs:",
    "  - job_name: mqtt-diagnostics",
    "    static_configs:",
    `      - targets: [${targets.map((t) => JSON.stringify(t)).join(", ")}]`,
  ].join("\n");
  writeFileSync(join(dir, "prometheus.yml"), `${config}\n`);
  const child: ChildProcess = spawn(
    prometheus,
    [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const api = async <T>(path: string, params: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${url}/api/v1/${path}?${new URLSearchParams(params).toString()}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success") throw new Error(`prometheus ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  const server: PrometheusServer = {
    url,
    api,
    async query(expr) {
      const data = await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>("query", { query: expr });
      return data.result;
    },
    async waitForTargetUp() {
      await pollUntil(
        async () => {
          const data = await api<{ activeTargets: { health: string }[] }>("targets");
          return data.activeTargets.length > 0 && data.activeTargets.every((t) => t.health === "up") ? true : undefined;
        },
        () => `Prometheus targets up (stderr: ${stderr})`,
        45_000,
        250,
      );
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await untilListening(child, [port], "prometheus", () => stderr);
    await pollUntil(
      async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined),
      () => `Prometheus ready (stderr: ${stderr})`,
      30_000,
      100,
    );
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}
