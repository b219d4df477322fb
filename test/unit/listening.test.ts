import { spawn } from "node:child_process";
import { createServer, type AddressInfo, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePorts, onFreePorts } from "../helpers/free-port.js";
import { listeningPorts, PortTaken, untilListening } from "../helpers/listening.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(port = 0): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** A node child that listens on `port`, as a test's broker or Prometheus would. */
function listener(port: number) {
  const child = spawn(process.execPath, ["-e", `require("node:net").createServer().listen(${port}, "127.0.0.1")`], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return { child, stderr: () => stderr };
}

describe("listeningPorts", () => {
  it("lists the ports a process listens on, and not the ones it has closed", async () => {
    const port = await listen();
    expect(listeningPorts(process.pid).has(port)).toBe(true);
    await new Promise((r) => servers.splice(0)[0]?.close(r));
    expect(listeningPorts(process.pid).has(port)).toBe(false);
  });

  it("is empty for a process that is gone", () => {
    expect(listeningPorts(2 ** 22 + 1).size).toBe(0); // above Linux's largest pid_max
  });
});

describe("untilListening", () => {
  it("returns once the child itself listens", async () => {
    const [port = 0] = await freePorts(1);
    const l = listener(port);
    await untilListening(l.child, [port], "node", l.stderr);
    expect(listeningPorts(l.child.pid ?? 0).has(port)).toBe(true);
    l.child.kill();
  });

  it("throws PortTaken, with its stderr, when another process has the port (where connecting would have said ready)", async () => {
    const port = await listen();
    const l = listener(port);
    const err = await untilListening(l.child, [port], "node", l.stderr).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortTaken);
    expect(String(err)).toMatch(/node exited \(1\) before listening on \d+: .*EADDRINUSE/s);
  });

  it("throws another error when the child exits for another reason", async () => {
    const child = spawn(process.execPath, ["-e", 'console.error("no config"); process.exit(3)'], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const err = await untilListening(child, [1], "node", () => stderr).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(PortTaken);
    expect(String(err)).toMatch(/node exited \(3\) before listening on 1: no config/);
  });

  it("says why a program could not be started at all", async () => {
    const child = spawn("/nonexistent/mosquitto", [], { stdio: ["ignore", "ignore", "pipe"] });
    await expect(untilListening(child, [1], "mosquitto", () => "")).rejects.toThrow(
      /mosquitto exited \(-2\) before listening on 1: spawn \/nonexistent\/mosquitto ENOENT/,
    );
  });
});

describe("freePorts and onFreePorts", () => {
  it("chooses distinct ports", async () => {
    const ports = await freePorts(8);
    expect(new Set(ports).size).toBe(8);
  });

  it("starts again on new ports when a port was taken, and not for another failure", async () => {
    const tried: number[][] = [];
    const value = await onFreePorts(2, (ports) => {
      tried.push(ports);
      return tried.length === 1 ? Promise.reject(new PortTaken("taken")) : Promise.resolve("started");
    });
    expect(value).toBe("started");
    expect(tried).toHaveLength(2);
    let calls = 0;
    await expect(onFreePorts(1, () => Promise.reject(new Error(`broken ${++calls}`)))).rejects.toThrow("broken 1");
    await expect(onFreePorts(1, () => Promise.reject(new PortTaken("always")), 3)).rejects.toThrow("always");
  });
});
