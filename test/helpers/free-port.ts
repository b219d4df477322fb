import { createServer, type Server } from "node:net";
import { PortTaken } from "./listening.js";

function listenOnAny(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/** `count` distinct loopback ports that were free a moment ago (for programs that cannot take port 0). */
export async function freePorts(count: number): Promise<number[]> {
  // All held open until every one is chosen, so the kernel cannot hand out one of them twice.
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenOnAny());
    return servers.map((s) => {
      const address = s.address();
      return typeof address === "object" && address !== null ? address.port : 0;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** A loopback port that was free a moment ago (for programs that cannot take port 0). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port ?? 0;
}

/**
 * Starts a program on `count` free ports, and again on new ones while it fails with `PortTaken`:
 * a port chosen free can be taken before the program binds it (another test file's listener, or
 * any connection's local port), and on a busy machine over a whole suite that does happen.
 */
export async function onFreePorts<T>(count: number, start: (ports: number[]) => Promise<T>, tries = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePorts(count));
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt >= tries) throw err;
    }
  }
}
