import { describe, it } from "vitest";
import { makeClientWithSan } from "../../../helpers/certs.js";
import { webConfigFixture, type WebConfigRow } from "../../../helpers/web-config-rows.js";

// The client-certificate modes and the SAN list that the handshake alone does not enforce
// (clientCertRefusal, per request), with real TLS clients over HTTP/1.1 and HTTP/2.

const { pki, servers, files, trusted, client, rogue } = webConfigFixture("mde-client-cert-");
const san = makeClientWithSan(pki, "scraper", "DNS:scraper-1,URI:spiffe://lab/scraper");

const rows: WebConfigRow[] = [
  {
    option: "RequestClientCert",
    yaml: () => `${files()}  client_auth_type: RequestClientCert\n`,
    expect: [
      [trusted(), 200],
      [rogue(), 200],
    ],
  },
  {
    option: "RequireAnyClientCert without client_ca_file",
    yaml: () => `${files()}  client_auth_type: RequireAnyClientCert\n`,
    expect: [
      [trusted(), 403],
      [rogue(), 200],
      [{ ...trusted(), h2: true }, 403],
      [{ ...rogue(), h2: true }, 200],
    ],
  },
  {
    option: "VerifyClientCertIfGiven without client_ca_file (system CAs)",
    yaml: () => `${files()}  client_auth_type: VerifyClientCertIfGiven\n`,
    expect: [
      [trusted(), 200],
      [rogue(), 403],
    ],
  },
  {
    option: "VerifyClientCertIfGiven with client_ca_file",
    yaml: () => `${files()}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ${pki.caCert}\n`,
    expect: [
      [trusted(), 200],
      [client(), 200],
      [rogue(), 403],
    ],
  },
  {
    option: "client_allowed_sans with RequireAndVerifyClientCert",
    yaml: () => `${files()}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${pki.caCert}\n  client_allowed_sans: [other, scraper-1]\n`,
    expect: [
      [{ ca: pki.caCert, ...san }, 200],
      [client(), 403],
    ],
  },
  {
    option: "client_allowed_sans with VerifyClientCertIfGiven: a certificate is required",
    yaml: () => `${files()}  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ${pki.caCert}\n  client_allowed_sans: ["spiffe://lab/scraper"]\n`,
    expect: [
      [{ ca: pki.caCert, ...san }, 200],
      [trusted(), 403],
      [client(), 403],
      [rogue(), 403],
      [{ ca: pki.caCert, ...san, h2: true }, 200],
      [{ ...client(), h2: true }, 403],
    ],
  },
];

describe("exporter-toolkit web-config options: each file starts and serves (real TLS clients)", () => {
  it.each(rows.map((r) => [r.option, r] as const))("%s", async (_option, row) => servers.check(row));
});
