import { dirname, resolve } from "node:path";
import { ConfigError, settingPath } from "../../config/errors.js";
import { readYamlFile } from "../../config/yaml-file.js";
import { BCRYPT_HASH } from "./basic-auth.js";
import { validateHeaders } from "./headers.js";
import { parseGoDuration } from "./rate-limit.js";
import { webConfigSchema } from "./schema.js";
import { checkHttp2Ciphers, tlsEnabled, tlsServerFrom, type TlsServer } from "./tls-options.js";

/** A web config checked against every rule, in the form the HTTP edge enforces. */
export interface WebSettings {
  tls: TlsServer | undefined;
  /** HTTP/2 (with HTTP/1.1 for clients without ALPN h2); only with TLS, as in exporter-toolkit. */
  http2: boolean;
  headers: Map<string, string>;
  users: Map<string, string> | undefined;
  rateLimit: { intervalMs: number; burst: number } | undefined;
}

/** Validates a parsed web config (exporter-toolkit's rules, failing closed) into settings. */
export function webSettingsFrom(value: unknown, baseDir: string): WebSettings {
  const parsed = webConfigSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === "unrecognized_keys")
      throw new ConfigError(settingPath([...issue.path]), `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`);
    throw new ConfigError(settingPath(issue?.path ?? []), (issue?.message ?? "invalid").replace(/^Invalid input: /, ""));
  }
  const cfg = parsed.data;
  const tls = cfg.tls_server_config != null && tlsEnabled(cfg.tls_server_config) ? tlsServerFrom(cfg.tls_server_config, baseDir) : undefined;
  if (tls === undefined && cfg.tls_server_config != null && Object.values(cfg.tls_server_config).some((v) => Array.isArray(v) && v.length > 0)) {
    throw new ConfigError("tls_server_config", "sets TLS options but no certificate (cert_file or cert): TLS would be off");
  }
  const http2 = tls !== undefined && (cfg.http_server_config?.http2 ?? true);
  if (http2 && cfg.tls_server_config != null) checkHttp2Ciphers(cfg.tls_server_config);
  const users = cfg.basic_auth_users;
  for (const [user, hash] of users ?? []) {
    if (!BCRYPT_HASH.test(hash)) throw new ConfigError(`basic_auth_users.${user}`, "must be a bcrypt hash (e.g. from htpasswd -nBC 10 \"\" | tr -d ':\\n')");
  }
  let rateLimit: WebSettings["rateLimit"];
  const rl = cfg.rate_limit;
  if (rl != null) {
    const intervalMs = rl.interval === undefined ? 0 : parseGoDuration(rl.interval, "rate_limit.interval");
    const burst = rl.burst ?? 0;
    // Go's limiter with burst 0 refuses every request: that is a misconfiguration, not a policy.
    if (intervalMs > 0 && burst < 1)
      throw new ConfigError("rate_limit.burst", "must be at least 1 when rate_limit.interval is set (0 would refuse every request)");
    if (intervalMs > 0) rateLimit = { intervalMs, burst };
  }
  return {
    tls,
    http2,
    headers: validateHeaders(cfg.http_server_config?.headers ?? new Map()),
    users: users !== undefined && users.size > 0 ? users : undefined,
    rateLimit,
  };
}

/** Reads `--web.config.file`; any problem is a ConfigError naming the setting (exit code 2). */
export function readWebSettings(file: string): WebSettings {
  return webSettingsFrom(readYamlFile(file, "--web.config.file"), dirname(resolve(file)));
}
