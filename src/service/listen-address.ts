import { UsageError } from "../cli/usage-error.js";

/** Parses `--web.listen-address` in the exporters' form: `:9883`, `127.0.0.1:9883`, `[::1]:9883`. */
export function parseListenAddress(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65_535) throw new UsageError(`--web.listen-address: '${value}' must be HOST:PORT, e.g. :9883 or 127.0.0.1:9883`);
  const host = m[1] ?? m[2] ?? "";
  // An empty host means every interface, as in Prometheus exporters.
  return { host: host === "" ? "::" : host, port };
}
