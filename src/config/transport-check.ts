import { ConfigError } from "./errors.js";
import type { ConnectionConfig } from "./schema.js";
import { regionOfEndpoint } from "./transport.js";

function requireClientCertificate(c: ConnectionConfig, at: string): void {
  const tls = c.tls;
  if (tls === undefined) throw new ConfigError(`${at}.tls`, `transport ${c.transport} needs tls.cert_file and tls.key_file (mutual TLS)`);
  if (tls.cert_file === undefined)
    throw new ConfigError(
      `${at}.tls.cert_file`,
      `required with transport ${c.transport} (mutual TLS); without tls.cert_file and tls.key_file use plain TCP by leaving out tls`,
    );
  if (tls.key_file === undefined) throw new ConfigError(`${at}.tls.key_file`, `required with transport ${c.transport} (mutual TLS), with tls.cert_file`);
}

function refuseClientCertificate(c: ConnectionConfig, at: string, why: string): void {
  for (const key of ["cert_file", "key_file"] as const) {
    if (c.tls?.[key] !== undefined) throw new ConfigError(`${at}.tls.${key}`, `not used by transport ${c.transport} (${why}); only tls.ca_file is`);
  }
}

function refuseUnused(c: ConnectionConfig, at: string): void {
  // A setting of another transport usually means `transport:` was forgotten: say so rather than ignore it.
  if (c.region !== undefined && c.transport !== "websocket_sigv4")
    throw new ConfigError(`${at}.region`, `only used by transport websocket_sigv4 (this connection's transport is ${c.transport})`);
  if (c.custom_auth !== undefined && c.transport !== "custom_auth")
    throw new ConfigError(`${at}.custom_auth`, `only used by transport custom_auth (this connection's transport is ${c.transport})`);
}

/**
 * Checks that a connection has what its transport needs and nothing another transport uses, one
 * line per problem; fills `region` from an AWS IoT endpoint for `websocket_sigv4`. `at` is the
 * connection's setting path, e.g. `connections[0]`.
 */
export function checkTransport(c: ConnectionConfig, at: string): void {
  refuseUnused(c, at);
  switch (c.transport) {
    case "mtls":
      // Without tls: plain TCP (local brokers, tests). With it: both client files.
      if (c.tls !== undefined) requireClientCertificate(c, at);
      return;
    case "mtls_alpn":
      requireClientCertificate(c, at);
      return;
    case "websocket_sigv4":
      refuseClientCertificate(c, at, "it signs with AWS credentials");
      c.region ??= regionOfEndpoint(c.endpoint);
      if (c.region === undefined)
        throw new ConfigError(`${at}.region`, `required with transport websocket_sigv4 (the endpoint '${c.endpoint}' names no AWS region)`);
      return;
    case "custom_auth": {
      refuseClientCertificate(c, at, "the custom authorizer authenticates the client");
      const auth = c.custom_auth;
      if (auth === undefined) throw new ConfigError(`${at}.custom_auth`, "required with transport custom_auth (at least authorizer_name)");
      const token = [auth.token_key_name, auth.token_value, auth.token_signature];
      if (token.some((v) => v !== undefined) && token.some((v) => v === undefined)) {
        const missing = (["token_key_name", "token_value", "token_signature"] as const).find((k) => auth[k] === undefined) ?? "token_signature";
        throw new ConfigError(`${at}.custom_auth.${missing}`, "required: a signed token needs token_key_name, token_value and token_signature together");
      }
      return;
    }
  }
}
