import { ConfigError } from "../../config/errors.js";
import type { WebSettings } from "./web-settings.js";
import type { TlsServer } from "./tls-options.js";

const requiresCert = (tls: TlsServer | undefined) =>
  tls !== undefined && (tls.mode === "RequireAnyClientCert" || tls.mode === "RequireAndVerifyClientCert" || tls.allowedSans !== undefined);
const verifiesCert = (tls: TlsServer | undefined) => tls !== undefined && (tls.mode === "VerifyClientCertIfGiven" || tls.mode === "RequireAndVerifyClientCert");

/**
 * Why a SIGHUP may not apply `next` over the running `old` web config, if it may not. Two kinds:
 * what the running server cannot change (TLS on or off, HTTP/2, asking for client certificates),
 * and what would weaken authentication. A file emptied or cut short by an editor or a config
 * tool reads as "no users", and a reload must fail closed: turning authentication off or down
 * takes a restart, a deliberate act, as turning TLS off does.
 */
export function reloadRefusal(old: WebSettings, next: WebSettings): ConfigError | undefined {
  if ((old.tls === undefined) !== (next.tls === undefined)) return new ConfigError("tls_server_config", "turning TLS on or off needs a restart");
  if (old.http2 !== next.http2) return new ConfigError("http_server_config.http2", "a change needs a restart");
  if (old.tls !== undefined && next.tls !== undefined && old.tls.options.requestCert !== next.tls.options.requestCert) {
    return new ConfigError("tls_server_config.client_auth_type", "turning client certificates on or off needs a restart");
  }
  if (old.users !== undefined && next.users === undefined) {
    return new ConfigError("basic_auth_users", "the reloaded file has no users, which would turn basic auth off: that needs a restart");
  }
  if (old.tls?.allowedSans !== undefined && next.tls?.allowedSans === undefined) {
    return new ConfigError("tls_server_config.client_allowed_sans", "removing the list would admit any trusted certificate: that needs a restart");
  }
  if (requiresCert(old.tls) && !requiresCert(next.tls)) {
    return new ConfigError(
      "tls_server_config.client_auth_type",
      `${next.tls?.mode ?? "NoClientCert"} would stop requiring a client certificate: that needs a restart`,
    );
  }
  if (verifiesCert(old.tls) && !verifiesCert(next.tls)) {
    return new ConfigError(
      "tls_server_config.client_auth_type",
      `${next.tls?.mode ?? "NoClientCert"} would stop verifying client certificates: that needs a restart`,
    );
  }
  return undefined;
}
