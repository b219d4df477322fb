import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../src/config/errors.js";
import { webConfigSchema } from "../../../../src/http/web-config/schema.js";
import { tlsEnabled, tlsServerFrom } from "../../../../src/http/web-config/tls-options.js";
import { indentPem, webConfigFixture, type WebConfigRow } from "../../../helpers/web-config-rows.js";

// The TLS rows of exporter-toolkit's docs/web-configuration.md: a file that must start and serve,
// tried with real TLS clients (the refusals are in test/integration/web-config-refusals.test.ts).

const { dir, pki, servers, files, trusted, client, rogue } = webConfigFixture("mde-web-");

const rows: WebConfigRow[] = [
  {
    option: "cert_file, key_file",
    yaml: files,
    expect: [
      [trusted(), 200],
      [{ ca: pki.rogueCaCert }, undefined],
    ],
  },
  {
    option: "cert, key inline",
    yaml: () =>
      `tls_server_config:\n  cert: |\n${indentPem(readFileSync(pki.serverCert, "utf8"))}\n  key: |\n${indentPem(readFileSync(pki.serverKey, "utf8"))}\n`,
    expect: [[trusted(), 200]],
  },
  {
    option: "client_ca inline, RequireAndVerifyClientCert",
    yaml: () => `${files()}  client_auth_type: RequireAndVerifyClientCert\n  client_ca: |\n${indentPem(readFileSync(pki.caCert, "utf8"))}\n`,
    expect: [
      [client(), 200],
      [trusted(), undefined],
      [rogue(), undefined],
    ],
  },
  {
    option: "min_version TLS13",
    yaml: () => `${files()}  min_version: TLS13\n`,
    expect: [
      [trusted(), 200],
      [{ ...trusted(), maxVersion: "TLSv1.2" }, undefined],
    ],
  },
  {
    option: "max_version TLS12",
    yaml: () => `${files()}  max_version: TLS12\n`,
    expect: [
      [{ ...trusted(), minVersion: "TLSv1.3" }, undefined],
      [trusted(), 200],
    ],
  },
  {
    option: "cipher_suites: a TLS 1.2 client gets only the listed suite (HTTP/2 off: the suite is not one HTTP/2 accepts)",
    yaml: () => `${files()}  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]\nhttp_server_config:\n  http2: false\n`,
    expect: [
      [{ ...trusted(), ciphers: "ECDHE-ECDSA-CHACHA20-POLY1305" }, 200],
      [{ ...trusted(), ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256" }, undefined],
    ],
  },
  { option: "prefer_server_cipher_suites false", yaml: () => `${files()}  prefer_server_cipher_suites: false\n`, expect: [[trusted(), 200]] },
];

describe("exporter-toolkit web-config options: each file starts and serves (real TLS clients)", () => {
  it.each(rows.map((r) => [r.option, r] as const))("%s", async (_option, row) => servers.check(row));
});

describe("tlsServerFrom and tlsEnabled", () => {
  const parse = (tls: object) => webConfigSchema.parse({ tls_server_config: tls }).tls_server_config ?? {};
  const parsed = (tls: object) => parse(tls) as Parameters<typeof tlsServerFrom>[0];

  it("TLS is on with any certificate, key, CA or client auth mode, off with none", () => {
    expect(tlsEnabled(parsed({}))).toBe(false);
    expect(tlsEnabled(parsed({ cert_file: "" }))).toBe(false);
    expect(tlsEnabled(parsed({ client_auth_type: "NoClientCert" }))).toBe(false);
    expect(tlsEnabled(parsed({ key: "k" }))).toBe(true);
    expect(tlsEnabled(parsed({ client_auth_type: "RequestClientCert" }))).toBe(true);
  });

  it("reads file names relative to the web config's folder", () => {
    const tls = tlsServerFrom(parsed({ cert_file: "server.crt", key_file: "server.key" }), pki.dir);
    expect(tls.options.cert).toBe(readFileSync(pki.serverCert, "latin1"));
    expect(() => tlsServerFrom(parsed({ cert_file: "server.crt", key_file: "server.key" }), tmpdir())).toThrow(
      /tls_server_config\.cert_file: cannot read 'server\.crt' \(ENOENT\)/,
    );
  });

  it("asks for a client certificate in every mode but NoClientCert, and rejects in the handshake only in RequireAndVerifyClientCert", () => {
    const modes = ["NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"] as const;
    const got = modes.map((m) => {
      const { options } = tlsServerFrom(
        parsed({
          cert_file: pki.serverCert,
          key_file: pki.serverKey,
          client_auth_type: m,
          ...(m === "RequireAndVerifyClientCert" ? { client_ca_file: pki.caCert } : {}),
        }),
        dir,
      );
      return [m, options.requestCert, options.rejectUnauthorized];
    });
    expect(got).toEqual([
      ["NoClientCert", false, false],
      ["RequestClientCert", true, false],
      ["RequireAnyClientCert", true, false],
      ["VerifyClientCertIfGiven", true, false],
      ["RequireAndVerifyClientCert", true, true],
    ]);
  });

  it("a directory where a PEM file belongs is refused naming the setting", () => {
    expect(() => tlsServerFrom(parsed({ cert_file: dir, key_file: pki.serverKey }), dir)).toThrow(ConfigError);
    expect(() => tlsServerFrom(parsed({ cert_file: dir, key_file: pki.serverKey }), dir)).toThrow(/tls_server_config\.cert_file: '.*' is not a regular file/);
  });
});
