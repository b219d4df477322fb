import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import { makeEncryptedKey, makeTestPki, type TestPki } from "../helpers/certs.js";
import { runMain } from "../helpers/cli.js";

// Every web config that exporter-toolkit refuses, or that could not be enforced as written:
// `serve` and `check-config` both exit 2 with one line naming the setting, and nothing starts.

const dir = mkdtempSync(join(tmpdir(), "mde-webbad-"));
const pki: TestPki = makeTestPki(dir);
const encryptedKey = makeEncryptedKey(pki);
const emptyCa = join(dir, "empty-ca.pem");
writeFileSync(emptyCa, "# no certificate here\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n`;
const tls = (extra: string) => `${files}${extra}`;
const hash = bcrypt.hashSync("x", 4);

const rows: [string, string, RegExp][] = [
  ["not YAML", "basic_auth_users: [\n", /--web\.config\.file: .* is not valid YAML/],
  ["unknown top-level key", "tls_config:\n  cert_file: a\n", /unknown key 'tls_config'/],
  ["unknown TLS key", tls("  ca_file: x\n"), /tls_server_config: unknown key 'ca_file'/],
  [
    "cert_file missing",
    "tls_server_config:\n  cert_file: /nonexistent.crt\n  key_file: /nonexistent.key\n",
    /tls_server_config\.cert_file: cannot read '\/nonexistent\.crt' \(ENOENT\)/,
  ],
  ["key missing", `tls_server_config:\n  cert_file: ${pki.serverCert}\n`, /tls_server_config\.key_file: missing one of key or key_file/],
  ["cert missing", `tls_server_config:\n  key_file: ${pki.serverKey}\n`, /tls_server_config\.cert_file: missing one of cert or cert_file/],
  ["cert and cert_file both", tls(`  cert: "x"\n`), /tls_server_config\.cert: and cert_file are both set/],
  [
    "key_file is a certificate",
    `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverCert}\n`,
    /tls_server_config\.key_file: .* holds a certificate, not a private key/,
  ],
  ["key_file encrypted", `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${encryptedKey}\n`, /tls_server_config\.key_file: .* is encrypted/],
  [
    "key_file does not match cert_file",
    `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.clientKey}\n`,
    /tls_server_config\.key_file: .* does not match the certificate/,
  ],
  [
    "cert_file is a key",
    `tls_server_config:\n  cert_file: ${pki.serverKey}\n  key_file: ${pki.serverKey}\n`,
    /tls_server_config\.cert_file: .* holds a private key, not a certificate/,
  ],
  [
    "client_ca_file with no certificate",
    tls(`  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${emptyCa}\n`),
    /tls_server_config\.client_ca_file: .* has no PEM certificate/,
  ],
  [
    "client_ca_file without client_auth_type",
    tls(`  client_ca_file: ${pki.caCert}\n`),
    /tls_server_config\.client_auth_type: client CAs are configured without a client auth policy/,
  ],
  [
    "RequireAndVerifyClientCert without a client CA",
    tls("  client_auth_type: RequireAndVerifyClientCert\n"),
    /tls_server_config\.client_ca_file: RequireAndVerifyClientCert needs client_ca_file or client_ca/,
  ],
  [
    "cipher_suites without one HTTP/2 needs, HTTP/2 on",
    tls("  client_auth_type: VerifyClientCertIfGiven\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n  max_version: TLS12\n"),
    /tls_server_config\.cipher_suites: HTTP\/2 needs TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256/,
  ],
  ["invalid client_auth_type", tls("  client_auth_type: Sometimes\n"), /tls_server_config\.client_auth_type: .*RequireAndVerifyClientCert/],
  [
    "client_allowed_sans with an unverified mode",
    tls("  client_auth_type: RequireAnyClientCert\n  client_allowed_sans: [a]\n"),
    /tls_server_config\.client_allowed_sans: needs client_auth_type VerifyClientCertIfGiven/,
  ],
  [
    "client_allowed_sans empty",
    tls(`  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${pki.caCert}\n  client_allowed_sans: []\n`),
    /client_allowed_sans: is empty/,
  ],
  [
    "TLS options but no certificate",
    "tls_server_config:\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n",
    /tls_server_config: sets TLS options but no certificate/,
  ],
  ["unknown min_version", tls("  min_version: TLS14\n"), /tls_server_config\.min_version: /],
  ["min_version above max_version", tls("  min_version: TLS13\n  max_version: TLS12\n"), /tls_server_config\.min_version: must not be above max_version/],
  ["invented cipher", tls("  cipher_suites: [TLS_INVENTED_CIPHER]\n"), /tls_server_config\.cipher_suites: unknown or insecure cipher 'TLS_INVENTED_CIPHER'/],
  [
    "insecure cipher (Go refuses it too)",
    tls("  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n"),
    /cipher_suites: unknown or insecure cipher 'TLS_RSA_WITH_RC4_128_SHA'/,
  ],
  [
    "OpenSSL cipher name",
    tls("  cipher_suites: [ECDHE-ECDSA-AES128-GCM-SHA256]\n"),
    /cipher_suites: unknown or insecure cipher 'ECDHE-ECDSA-AES128-GCM-SHA256'/,
  ],
  ["only TLS 1.3 suites with TLS 1.2 allowed", tls("  cipher_suites: [TLS_AES_128_GCM_SHA256]\n"), /cipher_suites: lists only TLS 1\.3 suites/],
  ["invented curve", tls("  curve_preferences: [CurveP999]\n"), /tls_server_config\.curve_preferences: unknown curve 'CurveP999'/],
  ["OpenSSL curve name", tls("  curve_preferences: [prime256v1]\n"), /curve_preferences: unknown curve 'prime256v1'/],
  ["header not allowed", "http_server_config:\n  headers:\n    Server: nginx\n", /http_server_config\.headers\.Server: is not allowed/],
  [
    "X-Frame-Options allow-from",
    "http_server_config:\n  headers:\n    X-Frame-Options: allow-from https://x\n",
    /headers\.X-Frame-Options: 'allow-from https:\/\/x' is not accepted; expected one of: deny, sameorigin/,
  ],
  [
    "X-Content-Type-Options other than nosniff",
    "http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n",
    /headers\.X-Content-Type-Options: 'sniff' is not accepted/,
  ],
  [
    "header value with CR/LF",
    'http_server_config:\n  headers:\n    Content-Security-Policy: "a\\r\\nSet-Cookie: x=1"\n',
    /headers\.Content-Security-Policy: contains a control character/,
  ],
  ["header __proto__", `http_server_config:\n  headers:\n    __proto__: x\n`, /http_server_config\.headers\.__proto__: is not allowed/],
  ["http2 not a boolean", "http_server_config:\n  http2: maybe\n", /http_server_config\.http2: /],
  ["password not bcrypt", "basic_auth_users:\n  alice: plaintext\n", /basic_auth_users\.alice: must be a bcrypt hash/],
  ["password not a string", "basic_auth_users:\n  alice: [1]\n", /basic_auth_users\.alice: expected a string/],
  ["__proto__ user with a plaintext password", "basic_auth_users:\n  __proto__: plaintext\n", /basic_auth_users\.__proto__: must be a bcrypt hash/],
  ["rate_limit interval without burst", "rate_limit:\n  interval: 1s\n", /rate_limit\.burst: must be at least 1/],
  ["rate_limit interval not a duration", "rate_limit:\n  interval: fast\n  burst: 1\n", /rate_limit\.interval: 'fast' is not a duration/],
  ["rate_limit unknown key", "rate_limit:\n  every: 1s\n", /rate_limit: unknown key 'every'/],
];

describe("web configs that cannot be enforced: exit 2, one line naming the setting", () => {
  it.each(rows)("%s", (_name, yaml, message) => {
    const file = join(dir, "bad-web.yml");
    writeFileSync(file, yaml);
    for (const args of [
      ["--web.config.file", file, "--web.listen-address", "127.0.0.1:1"],
      ["check-config", "--web.config.file", file],
    ]) {
      const r = runMain(args);
      expect({ args: args[0], code: r.code }).toEqual({ args: args[0], code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("check-config says valid for a web config that starts", () => {
    const file = join(dir, "good-web.yml");
    writeFileSync(file, `${files}basic_auth_users:\n  prometheus: ${hash}\n`);
    const r = runMain(["check-config", "--web.config.file", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("valid web config");
    expect(readFileSync(file, "utf8")).toContain("prometheus");
  });
});
