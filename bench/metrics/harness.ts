/** Load generation, the sides' processes and statistics shared by the metrics benchmarks. */
import { execFile, spawn } from "node:child_process";
import { request } from "node:http";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
const SIDE_SERVER = fileURLToPath(new URL("./side-server.js", import.meta.url));

export interface Load {
  rps: number;
  p99: number;
  /** Requests answered in the cell. */
  requests: number;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** autocannon as a child process: in the server's it would share its event loop. */
export async function cannon(url: string, seconds: number, gzip = false): Promise<Load> {
  const args = [AUTOCANNON, "-c", "10", "-d", String(seconds), "-j", ...(gzip ? ["-H", "accept-encoding=gzip"] : []), url];
  const { stdout } = await promisify(execFile)(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  const r = JSON.parse(stdout) as { requests: { average: number; total: number }; latency: { p99: number }; errors: number; non2xx: number };
  if (r.errors > 0 || r.non2xx > 0) throw new Error(`${url}: ${r.errors} errors, ${r.non2xx} non-2xx`);
  return { rps: r.requests.average, p99: r.latency.p99, requests: r.requests.total };
}

export type SideName = "ours" | "prom" | "ceiling";

export interface SideProcess {
  side: SideName;
  base: string;
  get<T>(path: string, headers?: Record<string, string>): Promise<{ status: number; body: T; bytes: number }>;
  close(): Promise<void>;
}

/**
 * Starts one side (bench/metrics/side-server.ts) in a process of its own. `bytes`, for the ceiling:
 * a size, or the URL of the `/metrics` whose bodies and headers it is to send byte for byte.
 */
export async function startSide(side: SideName, connections: number, errorNames: number, maxAgeMs: number, bytes: number | string = 0): Promise<SideProcess> {
  const child = spawn(process.execPath, ["--expose-gc", SIDE_SERVER, side, String(connections), String(errorNames), String(maxAgeMs), String(bytes)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const line = /^\{"port":(\d+)\}$/m.exec(out);
      if (line !== null) resolve(Number(line[1]));
    });
    child.once("exit", (code) => reject(new Error(`${side} side exited (${code}) before listening`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    side,
    base,
    // node:http, not fetch: fetch asks for gzip itself and hides the bytes that went over the wire.
    get<T>(path: string, headers: Record<string, string> = {}) {
      return new Promise<{ status: number; body: T; bytes: number }>((resolve, reject) => {
        const req = request(`${base}${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const buf = Buffer.concat(chunks);
            const text = res.headers["content-encoding"] === "gzip" ? "" : buf.toString("utf8");
            const body = (res.headers["content-type"] ?? "").includes("json") ? (JSON.parse(text) as T) : (text as T);
            resolve({ status: res.statusCode ?? 0, body, bytes: buf.length });
          });
        });
        req.on("error", reject);
        req.end();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The series of an exposition, each as its name and sorted labels (values, HELP and TYPE left out). */
export function seriesOf(text: string): Set<string> {
  const keys = new Set<string>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const brace = line.indexOf("{");
    const name = brace < 0 ? line.slice(0, line.indexOf(" ")) : line.slice(0, brace);
    const labels =
      brace < 0 ? [] : [...line.slice(brace, line.lastIndexOf("}") + 1).matchAll(/([A-Za-z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}="${m[2]}"`).sort();
    keys.add(`${name}{${labels.join(",")}}`);
  }
  return keys;
}
