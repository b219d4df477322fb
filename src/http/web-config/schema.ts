import { z } from "zod";
import { CLIENT_AUTH_TYPES, TLS_VERSIONS } from "./go-tls-names.js";

/**
 * A YAML mapping of strings read into a Map from its own entries. A record type would assign
 * each key onto a plain object, where `__proto__` sets the prototype instead of adding an entry:
 * `basic_auth_users: { __proto__: <hash> }` then meant no users, i.e. no authentication.
 * With `scalars`, a number or boolean is taken as its text, as Go's YAML decoder does for a string
 * field (`X-XSS-Protection: 1` is the header value "1").
 */
const stringMap = (scalars: boolean) =>
  z
    .custom<Record<string, unknown> | null>((v) => v === null || (typeof v === "object" && !Array.isArray(v)), "expected a mapping")
    .transform((obj, ctx) => {
      const map = new Map<string, string>();
      for (const [key, raw] of Object.entries(obj ?? {})) {
        const value = scalars && (typeof raw === "boolean" || (typeof raw === "number" && Number.isFinite(raw))) ? String(raw) : raw;
        if (typeof value !== "string") {
          ctx.addIssue({ code: "custom", path: [key], message: "expected a string" });
          return z.NEVER;
        }
        map.set(key, value);
      }
      return map;
    });

const tlsVersion = z.enum(Object.keys(TLS_VERSIONS) as [keyof typeof TLS_VERSIONS, ...(keyof typeof TLS_VERSIONS)[]]);
const text = z.string();

/** exporter-toolkit's web-config.yml (docs/web-configuration.md): the same keys and defaults. */
export const webConfigSchema = z.strictObject({
  tls_server_config: z
    .strictObject({
      cert: text.optional(),
      key: text.optional(),
      client_ca: text.optional(),
      cert_file: text.optional(),
      key_file: text.optional(),
      client_ca_file: text.optional(),
      client_auth_type: z.enum([...CLIENT_AUTH_TYPES, ""]).default("NoClientCert"),
      min_version: tlsVersion.default("TLS12"),
      max_version: tlsVersion.default("TLS13"),
      cipher_suites: z.array(z.string()).nullish(),
      curve_preferences: z.array(z.string()).nullish(),
      prefer_server_cipher_suites: z.boolean().default(true),
      client_allowed_sans: z.array(z.string()).nullish(),
    })
    .nullish(),
  http_server_config: z
    .strictObject({
      http2: z.boolean().default(true),
      headers: stringMap(true).optional(),
    })
    .nullish(),
  basic_auth_users: stringMap(false).optional(),
  rate_limit: z
    .strictObject({
      interval: z.union([z.string(), z.literal(0)]).optional(),
      burst: z.number().int().nonnegative().optional(),
    })
    .nullish(),
});

export type WebConfigFile = z.output<typeof webConfigSchema>;
export type TlsServerConfig = NonNullable<WebConfigFile["tls_server_config"]>;
