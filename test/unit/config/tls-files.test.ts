import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTlsFiles } from "../../../src/config/tls-files.js";
import { runMain } from "../../helpers/cli.js";
import { makeTestPki, type TestPki } from "../../helpers/certs.js";

let dir: string;
let pki: TestPki;
const f = (name: string) => join(dir, name);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mde-tls-files-"));
  pki = makeTestPki(dir);
  mkdirSync(f("a-directory"));
  writeFileSync(f("not-pem.txt"), "hello, this is not a certificate\n");
  writeFileSync(f("empty.pem"), "");
  execFileSync("openssl", ["pkey", "-in", pki.clientKey, "-aes256", "-passout", "pass:secret", "-out", f("encrypted.key")]);
  execFileSync("openssl", ["ec", "-in", pki.clientKey, "-aes256", "-passout", "pass:secret", "-out", f("encrypted-traditional.key")], { stdio: "ignore" });
  // A key type OpenSSL accepts and aws-crt refuses: only the native check catches it.
  // An expired client certificate: -days -1 puts notAfter a day before notBefore.
  execFileSync(
    "openssl",
    ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=old", "-keyout", f("old.key"), "-out", f("old.csr")],
    { stdio: "ignore" },
  );
  execFileSync("openssl", ["x509", "-req", "-in", f("old.csr"), "-key", f("old.key"), "-days", "-1", "-out", f("old.crt")], { stdio: "ignore" });
  execFileSync("openssl", ["req", "-x509", "-newkey", "ed25519", "-nodes", "-days", "2", "-subj", "/CN=ed", "-keyout", f("ed.key"), "-out", f("ed.crt")], {
    stdio: "ignore",
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, tls: { cert: string; key: string; ca?: string }): string {
  const file = f(`${name}.yml`);
  const ca = tls.ca === undefined ? "" : `, ca_file: ${tls.ca}`;
  writeFileSync(
    file,
    `connections:\n  - endpoint: 127.0.0.1\n    client_id: c\n    tls: { cert_file: ${tls.cert}, key_file: ${tls.key}${ca} }\njournal: { path: ${f(`${name}.jsonl`)} }\n`,
  );
  return file;
}

describe("MQTT TLS files: check-config and serve both refuse a bad one, one line, exit 2", () => {
  const cases: [string, () => { cert: string; key: string; ca?: string }, RegExp][] = [
    ["cert_file is a directory", () => ({ cert: f("a-directory"), key: pki.clientKey }), /connections\[0\]\.tls\.cert_file: '.*a-directory' is a directory/],
    [
      "cert_file is not PEM",
      () => ({ cert: f("not-pem.txt"), key: pki.clientKey }),
      /connections\[0\]\.tls\.cert_file: '.*not-pem\.txt' has no PEM certificate/,
    ],
    [
      "cert_file is a key",
      () => ({ cert: pki.clientKey, key: pki.clientKey }),
      /connections\[0\]\.tls\.cert_file: '.*client\.key' holds a private key, not a certificate/,
    ],
    [
      "key does not match the certificate",
      () => ({ cert: pki.clientCert, key: pki.rogueClientKey }),
      /connections\[0\]\.tls\.key_file: '.*rogue-client\.key' does not match the certificate in '.*client\.crt'/,
    ],
    [
      "key_file is a certificate",
      () => ({ cert: pki.clientCert, key: pki.clientCert }),
      /connections\[0\]\.tls\.key_file: '.*client\.crt' holds a certificate, not a private key/,
    ],
    [
      "key_file is encrypted (PKCS#8)",
      () => ({ cert: pki.clientCert, key: f("encrypted.key") }),
      /connections\[0\]\.tls\.key_file: '.*encrypted\.key' is encrypted/,
    ],
    [
      "key_file is encrypted (traditional)",
      () => ({ cert: pki.clientCert, key: f("encrypted-traditional.key") }),
      /connections\[0\]\.tls\.key_file: '.*encrypted-traditional\.key' is encrypted/,
    ],
    ["key_file is a directory", () => ({ cert: pki.clientCert, key: f("a-directory") }), /connections\[0\]\.tls\.key_file: '.*a-directory' is a directory/],
    [
      "ca_file has no certificate",
      () => ({ cert: pki.clientCert, key: pki.clientKey, ca: f("empty.pem") }),
      /connections\[0\]\.tls\.ca_file: '.*empty\.pem' has no PEM certificate/,
    ],
    [
      "ca_file is a key",
      () => ({ cert: pki.clientCert, key: pki.clientKey, ca: pki.clientKey }),
      /connections\[0\]\.tls\.ca_file: '.*client\.key' holds a private key/,
    ],
    [
      "a key type aws-crt refuses",
      () => ({ cert: f("ed.crt"), key: f("ed.key") }),
      /connections\[0\]\.tls: aws-crt cannot load cert_file '.*ed\.crt', key_file '.*ed\.key': AWS_IO_TLS_CTX_ERROR/,
    ],
  ];
  it.each(cases)("%s", (name, tls, message) => {
    const file = config(name.replace(/\W+/g, "-"), tls());
    for (const args of [
      ["check-config", file],
      ["--config", file, "--web.listen-address", "127.0.0.1:0"],
    ]) {
      const r = runMain(args);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(2);
    }
  });

  it("a valid set (with a CA bundle) is valid", () => {
    const r = runMain(["check-config", config("valid", { cert: pki.clientCert, key: pki.clientKey, ca: pki.caCert })]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});

it("MQTT_CERT_FILE/MQTT_KEY_FILE that do not match: the message names the variable", () => {
  const r = runMain(["--web.listen-address", "127.0.0.1:0"], {
    env: { MQTT_ENDPOINT: "127.0.0.1", MQTT_CERT_FILE: pki.clientCert, MQTT_KEY_FILE: pki.rogueClientKey },
  });
  expect(r.stderr).toMatch(/^mqtt-diagnostics serve: MQTT_KEY_FILE: '.*rogue-client\.key' does not match the certificate/);
  expect(r.code).toBe(2);
});

describe("a client certificate outside its validity period", () => {
  it("loads, with a warning at check-config: the broker would refuse it", () => {
    const r = runMain(["check-config", config("expired", { cert: f("old.crt"), key: f("old.key") })]);
    expect(r.stderr).toMatch(/^warning: connections\[0\]\.tls\.cert_file: the certificate in '.*old\.crt' expired on \d{4}-\d\d-\d\dT/);
    expect(r.code).toBe(0);
  });

  it("as of a given instant: expired, not yet valid, or neither", () => {
    const tls = { cert_file: pki.clientCert, key_file: pki.clientKey };
    const now = Date.now();
    expect(checkTlsFiles(tls, "t", now)).toEqual([]);
    expect(checkTlsFiles(tls, "t", now + 10 * 86_400_000)).toEqual([expect.stringMatching(/^t\.cert_file: the certificate in '.*client\.crt' expired on /)]);
    expect(checkTlsFiles(tls, "t", now - 10 * 86_400_000)).toEqual([
      expect.stringMatching(/^t\.cert_file: the certificate in '.*client\.crt' is not valid before /),
    ]);
  });
});
