import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireTool } from "./require-tool.js";

export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate signed by a CA the broker does not trust. */
  rogueClientCert: string;
  rogueClientKey: string;
  /** A CA that did not sign the broker's certificate. */
  rogueCaCert: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync(requireTool("openssl"), args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function makeCa(dir: string, name: string): void {
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.crt`,
    ],
    dir,
  );
}

function makeLeaf(dir: string, name: string, ca: string, ext: string): void {
  openssl(
    ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.csr`],
    dir,
  );
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(
    [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${ca}.crt`,
      "-CAkey",
      `${ca}.key`,
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
      "-out",
      `${name}.crt`,
    ],
    dir,
  );
}

/** A CA, a broker certificate for 127.0.0.1/localhost, a client certificate, and rogue ones. */
export function makeTestPki(dir: string): TestPki {
  makeCa(dir, "ca");
  makeCa(dir, "rogue-ca");
  makeLeaf(dir, "server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  makeLeaf(dir, "client", "ca", "extendedKeyUsage=clientAuth\n");
  makeLeaf(dir, "rogue-client", "rogue-ca", "extendedKeyUsage=clientAuth\n");
  const p = (f: string) => join(dir, f);
  return {
    dir,
    caCert: p("ca.crt"),
    serverCert: p("server.crt"),
    serverKey: p("server.key"),
    clientCert: p("client.crt"),
    clientKey: p("client.key"),
    rogueClientCert: p("rogue-client.crt"),
    rogueClientKey: p("rogue-client.key"),
    rogueCaCert: p("rogue-ca.crt"),
  };
}

/** A client certificate from the test CA with the given subjectAltName (e.g. `DNS:scraper-1`). */
export function makeClientWithSan(pki: TestPki, name: string, san: string): { cert: string; key: string } {
  makeLeaf(pki.dir, name, "ca", `subjectAltName=${san}\nextendedKeyUsage=clientAuth\n`);
  return { cert: join(pki.dir, `${name}.crt`), key: join(pki.dir, `${name}.key`) };
}

/** The server key encrypted with a passphrase (a file the web config cannot use). */
export function makeEncryptedKey(pki: TestPki): string {
  openssl(["pkey", "-in", "server.key", "-aes256", "-passout", "pass:secret", "-out", "server-encrypted.key"], pki.dir);
  return join(pki.dir, "server-encrypted.key");
}
