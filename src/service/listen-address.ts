import { createServer, isIP, isIPv6 } from "node:net";
import { UsageError } from "../errors.js";

const FLAG = "--web.listen-address";

/** The exporter's HTTP port (`--web.listen-address :9883`). */
export const DEFAULT_LISTEN_PORT = 9883;

/** Parses `--web.listen-address` in the exporters' form: `:9883`, `127.0.0.1:9883`, `[::1]:9883`. */
export function parseListenAddress(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65_535) throw new UsageError(`${FLAG}: '${value}' must be HOST:PORT, e.g. :${DEFAULT_LISTEN_PORT} or 127.0.0.1:${DEFAULT_LISTEN_PORT}`);
  if (m[1] !== undefined && !isIPv6(m[1])) throw new UsageError(`${FLAG}: '${m[1]}' in brackets is not an IPv6 address`);
  // Digits and dots only is meant as an IPv4 address; the resolver would take `300.1.1.1` as a name.
  if (m[2] !== undefined && /^[\d.]+$/.test(m[2]) && isIP(m[2]) === 0) throw new UsageError(`${FLAG}: '${m[2]}' is not an IPv4 address`);
  const host = m[1] ?? m[2] ?? "";
  // An empty host means every interface, as in Prometheus exporters.
  return { host: host === "" ? "::" : host, port };
}

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: "the port is in use",
  EADDRNOTAVAIL: "the address is not one of this host's",
  EACCES: "permission denied (ports below 1024 need privileges)",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve (DNS unavailable)",
  EAFNOSUPPORT: `this host has no IPv6 (give an IPv4 address, e.g. 0.0.0.0:${DEFAULT_LISTEN_PORT})`,
};

/** A listen error as a one-line UsageError naming the flag; other errors pass through unchanged. */
export function listenError(err: unknown, value: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why = code === undefined ? undefined : LISTEN_ERRORS[code];
  return why === undefined ? err : new UsageError(`${FLAG}: cannot listen on ${value}: ${why} (${code})`);
}

/**
 * Binds the address once and lets it go, so an address that cannot be listened on is refused
 * before the journal is read or a client starts. Port 0 always binds.
 */
export async function checkListenAddress(listen: { host: string; port: number }, value: string): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: listen.host, port: listen.port, exclusive: true }, resolve);
    });
  } catch (err) {
    throw listenError(err, value);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
