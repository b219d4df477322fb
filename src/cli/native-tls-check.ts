import type { Config } from "../config/schema.js";

/**
 * Builds each connection's native TLS context before anything starts, so check-config and serve
 * refuse what aws-crt would refuse (one line, exit 2) instead of a native error at client start.
 * aws-crt is loaded only when some connection uses TLS or an AWS transport other than plain mTLS,
 * and a context costs 15-20 ms of CPU, so a transport and set of files shared by several
 * connections is checked once.
 */
export async function checkNativeTlsContexts(config: Config): Promise<void> {
  if (!config.connections.some((c) => c.tls !== undefined || c.transport !== "mtls")) return;
  const { checkNativeTls } = await import("../mqtt/build-clients.js");
  const checked = new Set<string>();
  config.connections.forEach((c, i) => {
    const key = JSON.stringify([c.transport, c.tls?.cert_file ?? null, c.tls?.key_file ?? null, c.tls?.ca_file ?? null]);
    if (checked.has(key)) return;
    checked.add(key);
    checkNativeTls(c, `connections[${i}].tls`, `connections[${i}].transport`);
  });
}
