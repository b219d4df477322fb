import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** The program could not bind a port: another process took it between our choosing it and its binding. */
export class PortTaken extends Error {}

const LISTEN = "0A"; // TCP_LISTEN in /proc/net/tcp's `st` column
const TAKEN = /address already in use|EADDRINUSE/i;

/**
 * The TCP ports process `pid` listens on: its socket descriptors matched, by inode, with the
 * kernel's TCP tables. Asking the process itself (not connecting to the port) is what tells our
 * program from another one that happens to listen there.
 */
export function listeningPorts(pid: number): Set<number> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return new Set(); // the process is gone
  }
  for (const fd of fds) {
    try {
      const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (socket !== undefined) inodes.add(socket);
    } catch {
      // closed since readdir
    }
  }
  const ports = new Set<number>();
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, "utf8");
    } catch {
      continue;
    }
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      const port = f[1]?.split(":")[1];
      if (f[3] === LISTEN && port !== undefined && inodes.has(f[9] ?? "")) ports.add(Number.parseInt(port, 16));
    }
  }
  return ports;
}

/**
 * Waits until `child` itself listens on every one of `ports`. If it exits first, throws
 * `PortTaken` when its stderr says a port was in use (the caller may choose new ports), another
 * error with its stderr otherwise; after `timeoutMs` kills it and throws.
 */
export async function untilListening(child: ChildProcess, ports: readonly number[], what: string, stderr: () => string, timeoutMs = 30_000): Promise<void> {
  // 'close' comes after stderr has been read to its end: its last words are in the error.
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  // A program that cannot be started (ENOENT) emits 'error', then exits (-2): said below.
  let failed = "";
  child.once("error", (err) => (failed = err.message));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await closed;
      const said = stderr().trim() || failed;
      const message = `${what} exited (${child.exitCode ?? child.signalCode}) before listening on ${ports.join(", ")}: ${said || "(nothing on stderr)"}`;
      throw TAKEN.test(said) ? new PortTaken(message) : new Error(message);
    }
    const listening = child.pid === undefined ? new Set<number>() : listeningPorts(child.pid);
    if (ports.every((p) => listening.has(p))) return;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${what} not listening on ${ports.join(", ")} after ${timeoutMs} ms: ${stderr().trim() || "(nothing on stderr)"}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
