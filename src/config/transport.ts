/** The ways AWS IoT Core accepts a connection, as the config's `transport` and the journal's `transport` name them (docs/configuration.md, Transports). */
export const TRANSPORTS = ["mtls", "mtls_alpn", "websocket_sigv4", "custom_auth"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** The broker port when none is configured: 8883 for mTLS (1883 without TLS), 443 for the others. */
export function defaultBrokerPort(tls: boolean, transport: Transport = "mtls"): number {
  if (transport !== "mtls") return 443;
  return tls ? 8883 : 1883;
}

// An AWS IoT data endpoint names its region: abc123-ats.iot.eu-west-1.amazonaws.com(.cn).
const ENDPOINT_REGION = /\.iot\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?$/i;

/** The AWS region an AWS IoT endpoint's name carries, if it is one. */
export function regionOfEndpoint(endpoint: string): string | undefined {
  return ENDPOINT_REGION.exec(endpoint)?.[1]?.toLowerCase();
}
