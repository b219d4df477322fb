import { getCiphers } from "node:tls";
import { describe, expect, it } from "vitest";
import { clientAuthType, CLIENT_AUTH_TYPES, GO_CURVES, GO_TLS12_CIPHERS, GO_TLS13_CIPHERS, verifies } from "../../../../src/http/web-config/go-tls-names.js";
import { webConfigFixture, type WebConfigRow } from "../../../helpers/web-config-rows.js";

const { servers, files, trusted, rogue } = webConfigFixture("mde-go-names-");

// The rows that use Go's names, served to real TLS clients.
const rows: WebConfigRow[] = [
  {
    option: "RequireClientCert (the toolkit's old name)",
    yaml: () => `${files()}  client_auth_type: RequireClientCert\n`,
    expect: [
      [trusted(), 403],
      [rogue(), 200],
    ],
  },
  {
    option: "cipher_suites by Go name (the toolkit's full list)",
    yaml: () =>
      `${files()}  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA]\n`,
    expect: [
      [trusted(), 200],
      [{ ...trusted(), maxVersion: "TLSv1.2" }, 200],
    ],
  },
  {
    option: "curve_preferences by Go name",
    yaml: () => `${files()}  curve_preferences: [CurveP256, CurveP384, CurveP521, X25519]\n`,
    expect: [[trusted(), 200]],
  },
];

describe("exporter-toolkit web-config options: each file starts and serves (real TLS clients)", () => {
  it.each(rows.map((r) => [r.option, r] as const))("%s", async (_option, row) => servers.check(row));
});

describe("Go's crypto/tls names", () => {
  it("every TLS 1.2 suite maps to a cipher this Node's OpenSSL has", () => {
    const available = new Set(getCiphers());
    expect([...GO_TLS12_CIPHERS.values()].filter((c) => !available.has(c.toLowerCase()))).toEqual([]);
    expect(GO_TLS12_CIPHERS.size + GO_TLS13_CIPHERS.size).toBe(13);
  });

  it("curves map to OpenSSL group names", () => {
    expect([...GO_CURVES.values()]).toEqual(["P-256", "P-384", "P-521", "X25519"]);
  });

  it("client auth types: the old name and the empty value are read as the toolkit reads them", () => {
    expect(clientAuthType("")).toBe("NoClientCert");
    expect(clientAuthType("RequireClientCert")).toBe("RequireAnyClientCert");
    const modes = CLIENT_AUTH_TYPES.map(clientAuthType);
    expect(modes.filter(verifies)).toEqual(["VerifyClientCertIfGiven", "RequireAndVerifyClientCert"]);
  });
});
