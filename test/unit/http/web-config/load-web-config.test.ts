import bcrypt from "bcryptjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../src/config/errors.js";
import { verifies } from "../../../../src/http/web-config/go-tls-names.js";
import { webConfigFrom } from "../../../../src/http/web-config/load-web-config.js";
import { startTestApp } from "../../../helpers/app.js";
import { webConfigFixture, type WebConfigRow } from "../../../helpers/web-config-rows.js";

const { dir, pki, servers, files, trusted } = webConfigFixture("mde-webfuzz-");

const hash = bcrypt.hashSync("pw", 4);
const junk = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
/** Mostly values of the documented kind, sometimes anything: most files must get past the schema. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: junk, weight: 1 });
const keyName = fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "alice", "", "prometheus");
/** A mapping built from own entries, `__proto__` included (as the YAML parser builds it). */
const mapping = <T>(value: fc.Arbitrary<T>) => fc.array(fc.tuple(keyName, value), { maxLength: 4 }).map((e) => Object.fromEntries(e));
const headerName = fc.constantFrom(
  "X-Frame-Options",
  "X-Content-Type-Options",
  "Content-Security-Policy",
  "Strict-Transport-Security",
  "X-XSS-Protection",
  "__proto__",
  "Server",
);
const headerMapping = <T>(value: fc.Arbitrary<T>) => fc.array(fc.tuple(headerName, value), { maxLength: 3 }).map((e) => Object.fromEntries(e));
const file = fc.oneof(
  { arbitrary: fc.constant(pki.serverCert), weight: 8 },
  { arbitrary: fc.constantFrom(pki.serverKey, pki.clientCert, pki.clientKey, pki.caCert, "/nonexistent", ""), weight: 1 },
);
const keyFile = fc.oneof(
  { arbitrary: fc.constant(pki.serverKey), weight: 8 },
  { arbitrary: fc.constantFrom(pki.serverCert, pki.clientKey, "/nonexistent", ""), weight: 1 },
);

const tlsConfig = fc.record(
  {
    cert_file: file,
    key_file: keyFile,
    client_ca_file: fc.constantFrom(pki.caCert, pki.serverKey, ""),
    client_auth_type: mostly(
      fc.constantFrom(
        "NoClientCert",
        "RequestClientCert",
        "RequireAnyClientCert",
        "RequireClientCert",
        "VerifyClientCertIfGiven",
        "RequireAndVerifyClientCert",
        "",
      ),
    ),
    client_allowed_sans: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 3 },
      { arbitrary: mostly(fc.array(fc.constantFrom("a", "localhost", ""), { maxLength: 2 })), weight: 1 },
    ),
    cipher_suites: fc.array(
      fc.constantFrom(
        "TLS_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLS_RSA_WITH_RC4_128_SHA",
        "AES128-SHA",
      ),
      { maxLength: 3 },
    ),
    curve_preferences: fc.array(fc.constantFrom("CurveP256", "X25519", "CurveP521", "P-256", "CurveP999"), { maxLength: 3 }),
    min_version: fc.constantFrom("TLS10", "TLS12", "TLS12", "TLS12", "TLS13", "TLS14"),
    max_version: fc.constantFrom("TLS12", "TLS13"),
    prefer_server_cipher_suites: mostly(fc.boolean()),
  },
  { requiredKeys: [] },
);

/** Files much like the documented examples, each with a few of the options varied. */
const plausible = fc.record(
  {
    tls_server_config: fc.record(
      {
        cert_file: fc.constant(pki.serverCert),
        key_file: fc.constant(pki.serverKey),
        client_auth_type: fc.constantFrom("NoClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"),
        client_ca_file: fc.constant(pki.caCert),
        client_allowed_sans: fc.array(fc.constantFrom("a", "localhost"), { maxLength: 2 }),
        cipher_suites: fc.array(fc.constantFrom("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), { maxLength: 2 }),
      },
      { requiredKeys: ["cert_file", "key_file"] },
    ),
    http_server_config: fc.record({ http2: fc.boolean(), headers: headerMapping(fc.constantFrom("deny", "nosniff", "max-age=1")) }, { requiredKeys: [] }),
    basic_auth_users: mapping(fc.constant(hash)),
    rate_limit: fc.record({ interval: fc.constantFrom("1s", "0", "100ms"), burst: fc.constantFrom(1, 5) }),
  },
  { requiredKeys: [] },
);

const anything = fc.record(
  {
    tls_server_config: mostly(tlsConfig),
    http_server_config: mostly(
      fc.record(
        { http2: mostly(fc.boolean()), headers: headerMapping(fc.constantFrom("deny", "sameorigin", "nosniff", "allow-from x", "a\r\nb", "")) },
        { requiredKeys: [] },
      ),
    ),
    basic_auth_users: mostly(mapping(fc.oneof({ arbitrary: fc.constant(hash), weight: 6 }, { arbitrary: fc.string({ maxLength: 4 }), weight: 1 }))),
    rate_limit: mostly(
      fc.record({ interval: fc.constantFrom("1s", "0", 0, "fast", "100ms", "1m30s"), burst: fc.constantFrom(1, 5, 5, 0, -1) }, { requiredKeys: [] }),
    ),
  },
  { requiredKeys: [] },
);

const webConfig = fc.oneof(plausible, anything);

describe("fuzzed web configs never start an unauthenticated or unenforceable server", () => {
  it("each file is refused with a ConfigError, or every user it lists is enforced", async () => {
    const seen = { accepted: 0, withUsers: 0, withTls: 0 };
    await fc.assert(
      fc.asyncProperty(webConfig, async (raw) => {
        let web;
        try {
          web = webConfigFrom(raw, dir);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          return;
        }
        seen.accepted++;
        if (web.settings.tls !== undefined) seen.withTls++;
        const users = raw.basic_auth_users;
        const listed = typeof users === "object" && users !== null && !Array.isArray(users) ? Object.keys(users).length : 0;
        expect(web.settings.users?.size ?? 0).toBe(listed);
        const tls = web.settings.tls;
        const sans = (raw.tls_server_config as { client_allowed_sans?: unknown } | undefined)?.client_allowed_sans;
        if (Array.isArray(sans)) expect(tls !== undefined && verifies(tls.mode) && tls.allowedSans !== undefined).toBe(true);
        for (const value of web.settings.headers.values()) expect(value).not.toMatch(/[\r\n]/);
        if (listed > 0) {
          seen.withUsers++;
          const t = await startTestApp(["heater-1"], web.appDeps);
          try {
            const r = await t.app.inject({ method: "GET", url: "/metrics" });
            // 403: client certificate checks (inject has no TLS socket) come before basic auth.
            expect([401, 403, 429]).toContain(r.statusCode);
          } finally {
            await t.close();
          }
        }
      }),
      { numRuns: 300 },
    );
    // The generator must reach accepted files, with users and with TLS, or it proves nothing.
    expect(seen.accepted).toBeGreaterThan(30);
    expect(seen.withUsers).toBeGreaterThan(0);
    expect(seen.withTls).toBeGreaterThan(0);
  }, 120_000);
});

const rows: WebConfigRow[] = [
  { option: "(empty file): plain HTTP", yaml: () => "", expect: [] },
  {
    option: "rate_limit interval 0: off",
    yaml: () => `${files()}rate_limit:\n  interval: 0\n  burst: 0\n`,
    expect: [
      [trusted(), 200],
      [trusted(), 200],
      [trusted(), 200],
    ],
  },
];

describe("exporter-toolkit web-config options: each file starts and serves (real TLS clients)", () => {
  it.each(rows.map((r) => [r.option, r] as const))("%s", async (_option, row) => servers.check(row));
});
