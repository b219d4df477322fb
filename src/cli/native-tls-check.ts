import type { Config } from "../config/schema.js";

/**
 * Builds each connection's native TLS context before anything starts, so check-config and serve
 * refuse what aws-crt would refuse (one line, exit 2) instead of a native error at client start.
 * aws-crt is loaded only when some connection uses TLS or an AWS transport other than plain mTLS.
 */
export async function checkNativeTlsContexts(config: Config): Promise<void> {
  if (!config.connections.some((c) => c.tls !== undefined || c.transport !== "mtls")) return;
  const { checkNativeTls } = await import("../mqtt/build-clients.js");
  config.connections.forEach((c, i) => checkNativeTls(c, `connections[${i}].tls`, `connections[${i}].transport`));
}
