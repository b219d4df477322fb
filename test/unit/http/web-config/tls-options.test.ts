import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import { loadWebConfig } from "../../../../src/http/web-config/load-web-config.js";
import { makeClientWithSan, makeTestPki, type TestPki } from "../../../helpers/certs.js";
import { probe, type ProbeOptions } from "../../../helpers/https-probe.js";
import { startTestApp, type TestApp } from "../../../helpers/app.js";

// One row per option of exporter-toolkit's docs/web-configuration.md: a file that must start and
// serve, tried with real TLS clients (the refusals are in web-config-refusals.test.ts).

// Made at collection time: the table's rows name the files.
const dir = mkdtempSync(join(tmpdir(), "mde-web-"));
const pki: TestPki = makeTestPki(dir);
const san = makeClientWithSan(pki, "scraper", "DNS:scraper-1,URI:spiffe://lab/scraper");
const apps: TestApp[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(yaml: string): Promise<string> {
  const file = join(dir, `web-${apps.length}.yml`);
  writeFileSync(file, yaml);
  const web = await loadWebConfig(file);
  const t = await startTestApp(["heater-1"], web.appDeps);
  apps.push(t);
  return t.app.listen({ port: 0, host: "127.0.0.1" });
}

const files = () => `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n`;
const indent = (pem: string) => pem.trim().split("\n").map((l) => `    ${l}`).join("\n");
const trusted = (): ProbeOptions => ({ ca: pki.caCert });
const client = (): ProbeOptions => ({ ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });
const rogue = (): ProbeOptions => ({ ca: pki.caCert, cert: pki.rogueClientCert, key: pki.rogueClientKey });
const hash = bcrypt.hashSync("s3cret", 4);

interface Row {
  option: string;
  yaml: () => string;
  /** Requests and the status each must get (undefined: the handshake must fail). */
  expect: [ProbeOptions, number | undefined][];
}

const rows: Row[] = [
  { option: "(empty file): plain HTTP", yaml: () => "", expect: [] },
  { option: "cert_file, key_file", yaml: files, expect: [[trusted(), 200], [{ ca: pki.rogueCaCert }, undefined]] },
  {
    option: "cert, key inline",
    yaml: () => `tls_server_config:\n  cert: |\n${indent(readFileSync(pki.serverCert, "utf8"))}\n  key: |\n${indent(readFileSync(pki.serverKey, "utf8"))}\n`,
    expect: [[trusted(), 200]],
  },
  {
    option: "client_ca inline, RequireAndVerifyClientCert",
    yaml: () => `${files()}  client_auth_type: RequireAndVerifyClientCert\n  client_ca: |\n${indent(readFileSync(pki.caCert, "utf8"))}\n`,
    expect: [[client(), 200], [trusted(), undefined], [rogue(), undefined]],
  },
  { option: "RequestClientCert", yaml: () => `${files()}  client_auth_type: RequestClientCert\n`, expect: [[trusted(), 200], [rogue(), 200]] },
  {
    option: "RequireAnyClientCert without client_ca_file",
    yaml: () => `${files()}  client_auth_type: RequireAnyClientCert\n`,
    expect: [[trusted(), 403], [rogue(), 200], [{ ...trusted(), h2: true }, 403], [{ ...rogue(), h2: true }, 200]],
  },
  { option: "RequireClientCert (the toolkit's old name)", yaml: () => `${files()}  client_auth_type: RequireClientCert\n`, expect: [[trusted(), 403], [rogue(), 200]] },
  { option: "VerifyClientCertIfGiven without client_ca_file (system CAs)", yaml: () => `${files()}  client_auth_type: VerifyClientCertIfGiven\n`, expect: [[trusted(), 200], [rogue(), 403]] },
  {
    option: "VerifyClientCertIfGiven with client_ca_file",
    yaml: () => `${files()}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ${pki.caCert}\n`,
    expect: [[trusted(), 200], [client(), 200], [rogue(), 403]],
  },
  {
    option: "client_allowed_sans with RequireAndVerifyClientCert",
    yaml: () => `${files()}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${pki.caCert}\n  client_allowed_sans: [other, scraper-1]\n`,
    expect: [[{ ca: pki.caCert, ...san }, 200], [client(), 403]],
  },
  {
    option: "client_allowed_sans with VerifyClientCertIfGiven: a certificate is required",
    yaml: () => `${files()}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ${pki.caCert}\n  client_allowed_sans: ["spiffe://lab/scraper"]\n`,
    expect: [[{ ca: pki.caCert, ...san }, 200], [trusted(), 403], [client(), 403], [rogue(), 403], [{ ca: pki.caCert, ...san, h2: true }, 200], [{ ...client(), h2: true }, 403]],
  },
  {
    option: "min_version TLS13",
    yaml: () => `${files()}  min_version: TLS13\n`,
    expect: [[trusted(), 200], [{ ...trusted(), maxVersion: "TLSv1.2" }, undefined]],
  },
  { option: "max_version TLS12", yaml: () => `${files()}  max_version: TLS12\n`, expect: [[{ ...trusted(), minVersion: "TLSv1.3" }, undefined], [trusted(), 200]] },
  {
    option: "cipher_suites by Go name (the toolkit's full list)",
    yaml: () =>
      `${files()}  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA]\n`,
    expect: [[trusted(), 200], [{ ...trusted(), maxVersion: "TLSv1.2" }, 200]],
  },
  {
    option: "cipher_suites: a TLS 1.2 client gets only the listed suite",
    yaml: () => `${files()}  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]\n`,
    expect: [[{ ...trusted(), ciphers: "ECDHE-ECDSA-CHACHA20-POLY1305" }, 200], [{ ...trusted(), ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256" }, undefined]],
  },
  { option: "curve_preferences by Go name", yaml: () => `${files()}  curve_preferences: [CurveP256, CurveP384, CurveP521, X25519]\n`, expect: [[trusted(), 200]] },
  { option: "prefer_server_cipher_suites false", yaml: () => `${files()}  prefer_server_cipher_suites: false\n`, expect: [[trusted(), 200]] },
  { option: "http2 (default true): HTTP/2 and HTTP/1.1", yaml: files, expect: [[{ ...trusted(), h2: true }, 200], [trusted(), 200]] },
  { option: "http2 false: HTTP/1.1 only", yaml: () => `${files()}http_server_config:\n  http2: false\n`, expect: [[trusted(), 200], [{ ...trusted(), h2: true }, undefined]] },
  {
    option: "headers: each one the toolkit allows",
    yaml: () =>
      `${files()}http_server_config:\n  headers:\n    Content-Security-Policy: "default-src 'self'"\n    X-Frame-Options: sameorigin\n    X-Content-Type-Options: nosniff\n    X-XSS-Protection: "1; mode=block"\n    Strict-Transport-Security: max-age=31536000\n`,
    expect: [[trusted(), 200]],
  },
  { option: "basic_auth_users", yaml: () => `${files()}basic_auth_users:\n  prometheus: ${hash}\n`, expect: [[trusted(), 401], [{ ...trusted(), auth: "prometheus:s3cret" }, 200], [{ ...trusted(), auth: "prometheus:x" }, 401]] },
  { option: "basic_auth_users: a user named __proto__", yaml: () => `${files()}basic_auth_users:\n  __proto__: ${hash}\n`, expect: [[trusted(), 401], [{ ...trusted(), auth: "__proto__:s3cret" }, 200]] },
  { option: "rate_limit (interval 1m, burst 2)", yaml: () => `${files()}rate_limit:\n  interval: 1m\n  burst: 2\n`, expect: [[trusted(), 200], [trusted(), 200], [trusted(), 429], [{ ...trusted(), h2: true }, 429]] },
  { option: "rate_limit interval 0: off", yaml: () => `${files()}rate_limit:\n  interval: 0\n  burst: 0\n`, expect: [[trusted(), 200], [trusted(), 200], [trusted(), 200]] },
];

describe("exporter-toolkit web-config options: each file starts and serves (real TLS clients)", () => {
  it.each(rows.map((r) => [r.option, r] as const))("%s", async (_option, row) => {
    const url = `${await serve(row.yaml())}/metrics`;
    if (row.expect.length === 0) {
      expect((await fetch(url)).status).toBe(200);
      return;
    }
    for (const [options, status] of row.expect) {
      if (status === undefined) await expect(probe(url, options)).rejects.toThrow();
      else expect({ options, status: (await probe(url, options)).status }).toEqual({ options, status });
    }
  });

  it("headers are on every response, refusals included; HTTP/2 is spoken when asked", async () => {
    const url = await serve(`${files()}basic_auth_users:\n  prometheus: ${hash}\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n`);
    const denied = await probe(`${url}/healthz`, { ...trusted(), h2: true });
    expect(denied.status).toBe(401);
    expect(denied.httpVersion).toBe("2.0");
    expect(denied.headers["www-authenticate"]).toBe('Basic realm="mqtt-diagnostics", charset="UTF-8"');
    expect(denied.headers["x-frame-options"]).toBe("deny");
    const ok = await probe(`${url}/metrics`, { ...trusted(), auth: "prometheus:s3cret" });
    expect(ok.httpVersion).toBe("1.1");
    expect(ok.headers["x-frame-options"]).toBe("deny");
  });
});
