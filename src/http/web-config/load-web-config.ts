import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { SecureVersion } from "node:tls";
import { z } from "zod";
import { ConfigError, settingPath } from "../../config/errors.js";
import { readYamlFile } from "../../config/yaml-file.js";
import type { AppDeps } from "../deps.js";
import { basicAuthPlugin } from "./basic-auth.js";
import { clientCertPlugin, type ClientAuthType } from "./client-cert.js";
import { headersPlugin } from "./headers.js";

// exporter-toolkit's web-config.yml (prometheus/exporter-toolkit docs/web-configuration.md):
// the same keys, values and checks, so operators reuse the files they have.
const CLIENT_AUTH_TYPES = ["NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"] as const;
const TLS_VERSIONS = { TLS10: "TLSv1", TLS11: "TLSv1.1", TLS12: "TLSv1.2", TLS13: "TLSv1.3" } as const satisfies Record<string, SecureVersion>;
/** exporter-toolkit accepts only these response headers. */
const ALLOWED_HEADERS = ["Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection", "Content-Security-Policy"] as const;
const BCRYPT = /^\$2[aby]?\$\d\d\$[./A-Za-z0-9]{53}$/;

const tlsVersion = z.enum(Object.keys(TLS_VERSIONS) as [keyof typeof TLS_VERSIONS, ...(keyof typeof TLS_VERSIONS)[]]);
const webConfigSchema = z.strictObject({
  tls_server_config: z
    .strictObject({
      cert_file: z.string().min(1),
      key_file: z.string().min(1),
      client_auth_type: z.enum(CLIENT_AUTH_TYPES).default("NoClientCert"),
      client_ca_file: z.string().min(1).optional(),
      min_version: tlsVersion.default("TLS12"),
      max_version: tlsVersion.default("TLS13"),
      cipher_suites: z.array(z.string().min(1)).optional(),
      curve_preferences: z.array(z.string().min(1)).optional(),
      prefer_server_cipher_suites: z.boolean().optional(),
      client_allowed_sans: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  http_server_config: z
    .strictObject({
      http2: z.boolean().optional(),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  basic_auth_users: z.record(z.string().min(1), z.string()).optional(),
});

export type WebConfigFile = z.output<typeof webConfigSchema>;

export interface WebConfig {
  file: string;
  /** What the HTTP app needs: TLS server options and the authentication/header plugins. */
  appDeps: Pick<AppDeps, "serverOptions" | "plugins">;
}

function readPem(base: string, file: string, setting: string): string {
  const full = isAbsolute(file) ? file : resolve(base, file);
  try {
    return readFileSync(full, "utf8");
  } catch (err) {
    throw new ConfigError(setting, `cannot read '${file}' (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

/** Validates a parsed web config and turns it into server options and plugins. */
export function webConfigFrom(value: unknown, baseDir: string, file = "(web config)"): WebConfig {
  const parsed = webConfigSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === "unrecognized_keys") throw new ConfigError(settingPath([...issue.path]), `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`);
    throw new ConfigError(settingPath(issue?.path ?? []), (issue?.message ?? "invalid").replace(/^Invalid input: /, ""));
  }
  const cfg = parsed.data;
  const serverOptions: Record<string, unknown> = {};
  const plugins: NonNullable<AppDeps["plugins"]> = [];
  const tls = cfg.tls_server_config;
  if (tls) {
    const authType: ClientAuthType = tls.client_auth_type;
    const verifies = authType === "VerifyClientCertIfGiven" || authType === "RequireAndVerifyClientCert";
    if (verifies && tls.client_ca_file === undefined) throw new ConfigError("tls_server_config.client_ca_file", `is required with client_auth_type ${authType}`);
    if (tls.client_ca_file !== undefined && !verifies) {
      throw new ConfigError("tls_server_config.client_auth_type", `must be VerifyClientCertIfGiven or RequireAndVerifyClientCert when client_ca_file is set`);
    }
    if (tls.client_allowed_sans !== undefined && !verifies) throw new ConfigError("tls_server_config.client_allowed_sans", "needs a client_auth_type that verifies client certificates");
    const min = TLS_VERSIONS[tls.min_version];
    const max = TLS_VERSIONS[tls.max_version];
    if (min > max) throw new ConfigError("tls_server_config.min_version", `must not be above max_version (${tls.max_version})`);
    serverOptions["https"] = {
      cert: readPem(baseDir, tls.cert_file, "tls_server_config.cert_file"),
      key: readPem(baseDir, tls.key_file, "tls_server_config.key_file"),
      ...(tls.client_ca_file !== undefined ? { ca: readPem(baseDir, tls.client_ca_file, "tls_server_config.client_ca_file") } : {}),
      requestCert: authType !== "NoClientCert",
      // Only this mode rejects in the handshake; the others are checked per request.
      rejectUnauthorized: authType === "RequireAndVerifyClientCert",
      minVersion: min,
      maxVersion: max,
      ...(tls.cipher_suites ? { ciphers: tls.cipher_suites.join(":") } : {}),
      ...(tls.curve_preferences ? { ecdhCurve: tls.curve_preferences.join(":") } : {}),
      ...(tls.prefer_server_cipher_suites !== undefined ? { honorCipherOrder: tls.prefer_server_cipher_suites } : {}),
    };
    if (authType !== "NoClientCert") plugins.push(clientCertPlugin(authType, tls.client_allowed_sans));
  }
  const headers = cfg.http_server_config?.headers;
  if (headers) {
    for (const name of Object.keys(headers)) {
      if (!(ALLOWED_HEADERS as readonly string[]).includes(name)) {
        throw new ConfigError(`http_server_config.headers.${name}`, `is not allowed; allowed: ${ALLOWED_HEADERS.join(", ")}`);
      }
    }
    plugins.push(headersPlugin(headers));
  }
  const users = cfg.basic_auth_users;
  if (users && Object.keys(users).length > 0) {
    for (const [user, hash] of Object.entries(users)) {
      if (!BCRYPT.test(hash)) throw new ConfigError(`basic_auth_users.${user}`, "must be a bcrypt hash (e.g. from htpasswd -nBC 10 \"\" | tr -d ':\\n')");
    }
    plugins.push(basicAuthPlugin(new Map(Object.entries(users))));
  }
  return { file, appDeps: { serverOptions, plugins } };
}

/** Reads `--web.config.file`; any problem is a ConfigError naming the setting (exit code 2). */
// eslint-disable-next-line @typescript-eslint/require-await -- async so every failure is a rejection
export async function loadWebConfig(file: string): Promise<WebConfig> {
  return webConfigFrom(readYamlFile(file, "--web.config.file"), dirname(resolve(file)), file);
}
