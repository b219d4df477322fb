import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { ConfigError } from "../../config/errors.js";

const CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const KEY = /-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

/** Every certificate in a PEM text; none at all (or a key where a certificate belongs) is refused. */
export function pemCertificates(pem: string, setting: string, source: string): X509Certificate[] {
  const blocks = pem.match(CERT) ?? [];
  if (blocks.length === 0) {
    throw new ConfigError(
      setting,
      `${source} ${KEY.test(pem) ? "holds a private key, not a certificate" : "has no PEM certificate in it (-----BEGIN CERTIFICATE-----)"}`,
    );
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new ConfigError(setting, `${source}: certificate ${i + 1} is not a valid X.509 certificate`);
    }
  });
}

/** The one private key in a PEM text: unencrypted (the format has no passphrase) and parseable. */
export function pemPrivateKey(pem: string, setting: string, source: string): KeyObject {
  const block = KEY.exec(pem);
  if (block === null) {
    throw new ConfigError(
      setting,
      `${source} ${pem.includes("-----BEGIN CERTIFICATE-----") ? "holds a certificate, not a private key" : "has no PEM private key in it (-----BEGIN PRIVATE KEY-----)"}`,
    );
  }
  if (block[1] === "ENCRYPTED PRIVATE KEY" || /Proc-Type:\s*4,ENCRYPTED/.test(block[0])) {
    throw new ConfigError(setting, `${source} is encrypted; the web config has no passphrase (decrypt it: openssl pkey -in KEY -out PLAIN)`);
  }
  try {
    return createPrivateKey(block[0]);
  } catch {
    throw new ConfigError(setting, `${source} is not a valid PEM private key`);
  }
}
