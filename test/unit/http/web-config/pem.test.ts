import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../../src/config/errors.js";
import { pemCertificates, pemPrivateKey } from "../../../../src/http/web-config/pem.js";
import { makeEncryptedKey, makeTestPki, type TestPki } from "../../../helpers/certs.js";

const dir = mkdtempSync(join(tmpdir(), "mde-pem-"));
const pki: TestPki = makeTestPki(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (f: string) => readFileSync(f, "latin1");
const SETTING = "tls_server_config.cert_file";

describe("pemCertificates", () => {
  it("reads every certificate of a chain, in order", () => {
    const chain = pemCertificates(`${read(pki.serverCert)}\n${read(pki.caCert)}`, SETTING, "'chain.pem'");
    expect(chain.map((c) => c.subject)).toEqual(["CN=server", "CN=ca"]);
  });

  it.each([
    ["a private key", () => read(pki.serverKey), /^tls_server_config\.cert_file: 'x' holds a private key, not a certificate$/],
    ["no PEM at all", () => "# empty\n", /'x' has no PEM certificate in it \(-----BEGIN CERTIFICATE-----\)$/],
    [
      "a damaged certificate",
      () => `${read(pki.caCert)}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`,
      /^tls_server_config\.cert_file: 'x': certificate 2 is not a valid X\.509 certificate$/,
    ],
  ])("refuses %s, naming the setting", (_what, pem, message) => {
    expect(() => pemCertificates(pem(), SETTING, "'x'")).toThrow(ConfigError);
    expect(() => pemCertificates(pem(), SETTING, "'x'")).toThrow(message);
  });
});

describe("pemPrivateKey", () => {
  it("reads an unencrypted key", () => {
    expect(pemPrivateKey(read(pki.serverKey), "tls_server_config.key_file", "'k'").asymmetricKeyType).toBe("ec");
  });

  it.each([
    ["a certificate", () => read(pki.serverCert), /'k' holds a certificate, not a private key$/],
    ["no PEM at all", () => "", /'k' has no PEM private key in it/],
    ["an encrypted key (the format has no passphrase)", () => read(makeEncryptedKey(pki)), /'k' is encrypted; the web config has no passphrase/],
    [
      "a damaged key",
      () => "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
      /^tls_server_config\.key_file: 'k' is not a valid PEM private key$/,
    ],
  ])("refuses %s, naming the setting", (_what, pem, message) => {
    expect(() => pemPrivateKey(pem(), "tls_server_config.key_file", "'k'")).toThrow(message);
  });
});
