import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { loadWebConfig } from "../../../../src/http/web-config/load-web-config.js";
import { readWebSettings } from "../../../../src/http/web-config/web-settings.js";
import { makeClientWithSan } from "../../../helpers/certs.js";
import { indentPem, webConfigFixture, type WebConfigRow } from "../../../helpers/web-config-rows.js";

// exporter-toolkit's own web config test files (web/testdata/*.yml in prometheus/exporter-toolkit),
// one row each, as the toolkit's tests treat them: refused at load, or started and served. The
// files name the toolkit's certificates; here they name the test PKI's (an ECDSA server key, so
// the files' ECDHE_RSA suites are written as their ECDHE_ECDSA twins). `readWebSettings` is what
// check-config runs, `loadWebConfig` what serve runs. Where this project departs from the toolkit
// on purpose, `departure` says how (docs/security.md lists them).

const { dir, pki, servers, trusted, client, rogue } = webConfigFixture("mde-toolkit-");
const san = makeClientWithSan(pki, "client2", "DNS:test3");
const tlsFiles = 'tls_server_config:\n  cert_file: "server.crt"\n  key_file: "server.key"\n';
const verifyIfGiven = `${tlsFiles}  client_auth_type: "VerifyClientCertIfGiven"\n`;
const inline = (key: "cert" | "key", file: string) => `  ${key}: |\n${indentPem(readFileSync(file, "utf8"))}\n`;
const hash = (pw: string) => bcrypt.hashSync(pw, 4).replace(/^\$2[ab]\$/, "$2y$");
const users = `basic_auth_users:\n  alice: ${hash("alice-pw")}\n  bob: ${hash("bob-pw")}\n`;

interface ParityRow {
  file: string;
  yaml: () => string;
  /** Refused by check-config and serve, with this message; or served, with these requests. */
  refused?: RegExp;
  serves?: WebConfigRow["expect"];
  /** Plain HTTP: requests (with these user:password credentials, if any) and the status each gets. */
  http?: [string | undefined, number][];
  departure?: string;
}

const rows: ParityRow[] = [
  {
    file: "tls_config_noAuth.requireandverifyclientcert.good.yml",
    yaml: () => `${tlsFiles}  client_auth_type: "RequireAndVerifyClientCert"\n  client_ca_file: "ca.crt"\n`,
    serves: [
      [client(), 200],
      [trusted(), undefined],
      [rogue(), undefined],
    ],
  },
  {
    file: "tls_config_noAuth.requireanyclientcert.good.yml",
    yaml: () => `${tlsFiles}  client_auth_type: "RequireAnyClientCert"\n`,
    serves: [
      [client(), 200],
      [rogue(), 200],
      [trusted(), 403],
    ],
    departure: "no certificate: 403, not a failed handshake",
  },
  {
    file: "tls_config_noAuth.requireanyclientcertkeyinline.good.yml",
    yaml: () => `tls_server_config:\n  cert_file: "server.crt"\n${inline("key", pki.serverKey)}  client_auth_type: "RequireAnyClientCert"\n`,
    serves: [[client(), 200]],
  },
  {
    file: "web_config_auth_clientCAs_invalid.bad.yml",
    yaml: () => `${tlsFiles}  client_ca_file: "somefile"\n`,
    refused: /tls_server_config\.client_ca_file: cannot read 'somefile' \(ENOENT\)/,
  },
  {
    file: "web_config_auth_clientCAs_missing.bad.yml",
    yaml: () => `${tlsFiles}  client_auth_type: "RequireAndVerifyClientCert"\n`,
    refused: /tls_server_config\.client_ca_file: RequireAndVerifyClientCert needs client_ca_file or client_ca/,
    departure: "the toolkit starts and trusts the host's public CAs",
  },
  {
    file: "web_config_auth_client_san.bad.yaml",
    yaml: () => `${tlsFiles}  client_auth_type: "RequireAndVerifyClientCert"\n  client_ca_file: "ca.crt"\n  client_allowed_sans:\n    - "bad"\n`,
    serves: [[{ ca: pki.caCert, ...san }, 403]],
    departure: "403, not a failed handshake",
  },
  {
    file: "web_config_auth_client_san.good.yaml",
    yaml: () =>
      `${tlsFiles}  client_auth_type: "RequireAndVerifyClientCert"\n  client_ca_file: "ca.crt"\n  client_allowed_sans:\n    - "one"\n    - "test3"\n    - "two"\n`,
    serves: [
      [{ ca: pki.caCert, ...san }, 200],
      [client(), 403],
    ],
  },
  {
    file: "web_config_auth_user_list_invalid.bad.yml",
    yaml: () => `${tlsFiles}basic_auth_users:\n  john: doe\n`,
    refused: /basic_auth_users\.john: must be a bcrypt hash/,
  },
  { file: "web_config_empty.yml", yaml: () => "", http: [[undefined, 200]] },
  {
    file: "web_config_headers.good.yml",
    yaml: () =>
      `http_server_config:\n  headers:\n    X-Frame-Options: deny\n    Strict-Transport-Security: max-age=31536000; includeSubDomains\n    X-Content-Type-Options: nosniff\n    X-XSS-Protection: 1\n    Content-Security-Policy: "default-src 'self' *.test.example.net"\n`,
    http: [[undefined, 200]],
  },
  {
    file: "web_config_headers_content_type_options.bad.yml",
    yaml: () => "http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n",
    refused: /headers\.X-Content-Type-Options: 'sniff' is not accepted/,
  },
  {
    file: "web_config_headers_extra_header.bad.yml",
    yaml: () => "http_server_config:\n  headers:\n    Content-Type: foo\n",
    refused: /headers\.Content-Type: is not allowed/,
  },
  {
    file: "web_config_headers_frame_options.bad.yml",
    yaml: () => "http_server_config:\n  headers:\n    X-Frame-Options: foo\n",
    refused: /headers\.X-Frame-Options: 'foo' is not accepted/,
  },
  { file: "web_config_junk.yml", yaml: () => "hWkNKCp3fvIx3jKnsaBI\nTuEjdwNS8A2vYdFbiKqr\nay3RiOtykgt4m6m3KOol\n", refused: /expected object/ },
  { file: "web_config_junk_key.yml", yaml: () => 'tls_server_config:\n  cert_filse: "server.crt"\n', refused: /tls_server_config: unknown key 'cert_filse'/ },
  {
    file: "web_config_noAuth.bad.yml",
    yaml: () => `${tlsFiles}  client_ca_file: "/dev/null"\n`,
    refused: /tls_server_config\.client_ca_file: '\/dev\/null' is not a regular file/,
  },
  {
    file: "web_config_noAuth.good.blocking.yml",
    yaml: () => `${tlsFiles}  client_auth_type: "RequireAndVerifyClientCert"\n`,
    refused: /tls_server_config\.client_ca_file: RequireAndVerifyClientCert needs client_ca_file or client_ca/,
    departure: "the toolkit starts, then refuses every client not from a public CA",
  },
  {
    file: "web_config_noAuth.good.yml",
    yaml: () => verifyIfGiven,
    serves: [
      [trusted(), 200],
      [rogue(), 403],
    ],
  },
  {
    file: "web_config_noAuth_allCiphers.good.yml",
    yaml: () =>
      `${verifyIfGiven}  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA]\n`,
    serves: [[trusted(), 200]],
  },
  {
    file: "web_config_noAuth_allCurves.good.yml",
    yaml: () => `${verifyIfGiven}  curve_preferences: [CurveP256, CurveP384, CurveP521, X25519]\n`,
    serves: [[trusted(), 200]],
  },
  {
    file: "web_config_noAuth_certPath_empty.bad.yml",
    yaml: () => 'tls_server_config:\n  cert_file: ""\n  key_file: "server.key"\n',
    refused: /tls_server_config\.cert_file: missing one of cert or cert_file/,
  },
  {
    file: "web_config_noAuth_certPath_invalid.bad.yml",
    yaml: () => 'tls_server_config:\n  cert_file: "somefile"\n  key_file: "server.key"\n',
    refused: /tls_server_config\.cert_file: cannot read 'somefile' \(ENOENT\)/,
  },
  {
    file: "web_config_noAuth_certPath_keyPath_empty.bad.yml",
    yaml: () => 'tls_server_config:\n  cert_file: ""\n  key_file: ""\n  client_auth_type: "x"\n',
    refused: /tls_server_config\.client_auth_type: /,
    departure: "names the bad client_auth_type before the missing certificate",
  },
  {
    file: "web_config_noAuth_certPath_keyPath_invalid.bad.yml",
    yaml: () => 'tls_server_config:\n  cert_file: "somefile"\n  key_file: "somefile"\n',
    refused: /tls_server_config\.cert_file: cannot read 'somefile' \(ENOENT\)/,
  },
  {
    file: "web_config_noAuth_cert_empty.bad.yml",
    yaml: () => 'tls_server_config:\n  cert: ""\n  key_file: "server.key"\n',
    refused: /tls_server_config\.cert_file: missing one of cert or cert_file/,
  },
  {
    file: "web_config_noAuth_inventedCiphers.bad.yml",
    yaml: () => `${verifyIfGiven}  cipher_suites:\n  - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA2048\n`,
    refused: /cipher_suites: unknown or insecure cipher 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA2048'/,
  },
  {
    file: "web_config_noAuth_inventedCurves.bad.yml",
    yaml: () => `${verifyIfGiven}  curve_preferences:\n    - CurveP257\n`,
    refused: /curve_preferences: unknown curve 'CurveP257'/,
  },
  {
    file: "web_config_noAuth_keyPath_empty.bad.yml",
    yaml: () => 'tls_server_config:\n  cert_file: "server.crt"\n  key_file: ""\n',
    refused: /tls_server_config\.key_file: missing one of key or key_file/,
  },
  {
    file: "web_config_noAuth_keyPath_invalid.bad.yml",
    yaml: () => 'tls_server_config:\n  cert_file: "server.cert"\n  key_file: "somefile"\n',
    refused: /tls_server_config\.cert_file: cannot read 'server\.cert' \(ENOENT\)/,
  },
  {
    file: "web_config_noAuth_key_empty.bad.yml",
    yaml: () => 'tls_server_config:\n  cert_file: "server.crt"\n  key: ""\n',
    refused: /tls_server_config\.key_file: missing one of key or key_file/,
  },
  {
    file: "web_config_noAuth_noHTTP2.good.yml",
    yaml: () => `${verifyIfGiven}  cipher_suites:\n    - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n  max_version: TLS12\nhttp_server_config:\n  http2: false\n`,
    serves: [
      [trusted(), 200],
      [{ ...trusted(), ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256" }, undefined],
    ],
  },
  {
    file: "web_config_noAuth_noHTTP2Cipher.bad.yml",
    yaml: () => `${verifyIfGiven}  cipher_suites:\n    - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n  max_version: TLS12\n`,
    refused:
      /tls_server_config\.cipher_suites: HTTP\/2 needs TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 when TLS 1\.2 is allowed/,
  },
  {
    file: "web_config_noAuth_someCiphers.good.yml",
    yaml: () =>
      `${verifyIfGiven}  cipher_suites:\n  - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n  - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n  min_version: TLS12\n  max_version: TLS12\n`,
    serves: [
      [{ ...trusted(), ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256" }, 200],
      [{ ...trusted(), ciphers: "ECDHE-ECDSA-AES256-SHA" }, undefined],
    ],
  },
  {
    file: "web_config_noAuth_someCiphers_noOrder.good.yml",
    yaml: () =>
      `${verifyIfGiven}  cipher_suites:\n  - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n  - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n  prefer_server_cipher_suites: false\n  min_version: TLS12\n  max_version: TLS12\n`,
    serves: [[{ ...trusted(), ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384" }, 200]],
  },
  {
    file: "web_config_noAuth_someCurves.good.yml",
    yaml: () => `${verifyIfGiven}  min_version: TLS13\n  curve_preferences:\n  - CurveP521\n`,
    serves: [[trusted(), 200]],
  },
  {
    file: "web_config_noAuth_tlsInline.good.yml",
    yaml: () => `tls_server_config:\n${inline("cert", pki.serverCert)}${inline("key", pki.serverKey)}  client_auth_type: "VerifyClientCertIfGiven"\n`,
    serves: [[trusted(), 200]],
  },
  { file: "web_config_noAuth_wrongTLSVersion.bad.yml", yaml: () => `${verifyIfGiven}  min_version: TLS111\n`, refused: /tls_server_config\.min_version: / },
  {
    file: "web_config_rate_limiter_nonblocking.yaml",
    yaml: () => "rate_limit:\n  interval: 0\n  burst: 0\n",
    http: [
      [undefined, 200],
      [undefined, 200],
      [undefined, 200],
    ],
  },
  {
    file: "web_config_rate_limiter_one_second.yaml",
    yaml: () => 'rate_limit:\n  interval: "1s"\n  burst: 0\n',
    refused: /rate_limit\.burst: must be at least 1/,
    departure: "the toolkit starts and answers every request 429",
  },
  {
    file: "web_config_users.good.yml",
    yaml: () => `${tlsFiles}${users}`,
    serves: [
      [trusted(), 401],
      [{ ...trusted(), auth: "alice:alice-pw" }, 200],
    ],
  },
  {
    file: "web_config_users_noTLS.good.yml",
    yaml: () => users,
    http: [
      [undefined, 401],
      ["bob:bob-pw", 200],
      ["bob:alice-pw", 401],
    ],
  },
];

describe("exporter-toolkit's own web config test files (41)", () => {
  it("the table has one row per file", () => {
    expect(new Set(rows.map((r) => r.file)).size).toBe(41);
  });

  it.each(rows.filter((r) => r.refused !== undefined).map((r) => [r.file, r] as const))("%s is refused by check-config and serve", async (file, row) => {
    const path = join(dir, file);
    writeFileSync(path, row.yaml());
    expect(() => readWebSettings(path)).toThrow(row.refused);
    await expect(loadWebConfig(path)).rejects.toThrow(row.refused);
  });

  it.each(rows.filter((r) => r.serves !== undefined).map((r) => [r.file, r] as const))("%s passes check-config, starts and serves TLS", async (file, row) => {
    const path = join(dir, file);
    writeFileSync(path, row.yaml());
    expect(() => readWebSettings(path)).not.toThrow();
    await servers.check({ option: file, yaml: row.yaml, expect: row.serves ?? [] });
  });

  it.each(rows.filter((r) => r.http !== undefined).map((r) => [r.file, r] as const))(
    "%s passes check-config, starts and serves plain HTTP",
    async (file, row) => {
      const path = join(dir, file);
      writeFileSync(path, row.yaml());
      expect(() => readWebSettings(path)).not.toThrow();
      const url = `${await servers.serve(row.yaml())}/metrics`;
      const got = [];
      for (const [auth] of row.http ?? []) {
        const headers: Record<string, string> = auth === undefined ? {} : { authorization: `Basic ${Buffer.from(auth).toString("base64")}` };
        got.push([auth, (await fetch(url, { headers })).status]);
      }
      expect(got).toEqual(row.http);
    },
  );

  it("a header value YAML reads as a number is sent as written (X-XSS-Protection: 1)", async () => {
    const row = rows.find((r) => r.file === "web_config_headers.good.yml") as ParityRow;
    const res = await fetch(`${await servers.serve(row.yaml())}/metrics`);
    expect(res.headers.get("x-xss-protection")).toBe("1");
  });
});
