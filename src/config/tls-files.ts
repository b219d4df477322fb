import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { ConfigError } from "./errors.js";

/** A PEM file of certificates or one key is a few kB; anything far larger is not one. */
export const MAX_PEM_BYTES = 1024 * 1024;

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

export interface TlsFiles {
  /** With key_file: a client certificate (mutual TLS); both absent: server authentication only. */
  cert_file?: string | undefined;
  key_file?: string | undefined;
  ca_file?: string | undefined;
}

/** Reads a PEM file named by a setting; a missing, unreadable, oversized or non-file path is a ConfigError. */
function readPemFile(file: string, setting: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new ConfigError(setting, `'${file}' is a directory, not a PEM file`);
    if (!st.isFile()) throw new ConfigError(setting, `'${file}' is not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(setting, `cannot read '${file}' (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (size > MAX_PEM_BYTES) throw new ConfigError(setting, `'${file}' is ${size} bytes; a PEM file is a few kB (limit ${MAX_PEM_BYTES})`);
  try {
    return readFileSync(file, "latin1");
  } catch (err) {
    throw new ConfigError(setting, `cannot read '${file}' (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

function certificates(pem: string, file: string, setting: string): X509Certificate[] {
  const blocks = pem.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) {
    const what = KEY_BLOCK.test(pem) ? "holds a private key, not a certificate" : "has no PEM certificate in it (-----BEGIN CERTIFICATE-----)";
    throw new ConfigError(setting, `'${file}' ${what}`);
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new ConfigError(setting, `'${file}': certificate ${i + 1} is not a valid X.509 certificate`);
    }
  });
}

function privateKey(pem: string, file: string, setting: string): KeyObject {
  const block = KEY_BLOCK.exec(pem);
  if (block === null) {
    const what = pem.includes("-----BEGIN CERTIFICATE-----")
      ? "holds a certificate, not a private key"
      : "has no PEM private key in it (-----BEGIN PRIVATE KEY-----)";
    throw new ConfigError(setting, `'${file}' ${what}`);
  }
  // aws-crt takes no passphrase: an encrypted key can never be loaded.
  if (block[1] === "ENCRYPTED PRIVATE KEY" || /Proc-Type:\s*4,ENCRYPTED/.test(block[0])) {
    throw new ConfigError(setting, `'${file}' is encrypted; aws-crt cannot use a passphrase (decrypt it: openssl pkey -in KEY -out PLAIN)`);
  }
  try {
    return createPrivateKey(block[0]);
  } catch {
    throw new ConfigError(setting, `'${file}' is not a valid PEM private key`);
  }
}

/**
 * Checks a TLS file set the way a TLS stack will use it, so a bad file is one line at load
 * (check-config and serve alike), not a native error when the client starts: each file a readable
 * PEM of the right kind, the key unencrypted and matching the certificate, the CA file holding at
 * least one certificate. The client pair is checked when given (which transports need it is
 * checked before, in transport.ts). `at` is the setting's path, e.g. `connections[0].tls`.
 * Returns warnings: a client certificate outside its validity period loads, but the broker will
 * refuse every connection with it.
 */
export function checkTlsFiles(tls: TlsFiles, at: string, nowMs = Date.now()): string[] {
  let pair: { cert: string; key: string } | undefined;
  let warnings: string[] = [];
  if (tls.cert_file !== undefined && tls.key_file !== undefined) {
    pair = { cert: readPemFile(tls.cert_file, `${at}.cert_file`), key: readPemFile(tls.key_file, `${at}.key_file`) };
    const [cert] = certificates(pair.cert, tls.cert_file, `${at}.cert_file`);
    const key = privateKey(pair.key, tls.key_file, `${at}.key_file`);
    if (cert !== undefined) {
      if (!cert.checkPrivateKey(key)) throw new ConfigError(`${at}.key_file`, `'${tls.key_file}' does not match the certificate in '${tls.cert_file}'`);
      warnings = validityWarnings(cert, tls.cert_file, `${at}.cert_file`, nowMs);
    }
  }
  let caPem: string | undefined;
  if (tls.ca_file !== undefined) {
    caPem = readPemFile(tls.ca_file, `${at}.ca_file`);
    certificates(caPem, tls.ca_file, `${at}.ca_file`);
  }
  // Last, the whole set as OpenSSL builds a context from it: what the checks above missed.
  try {
    createSecureContext({ ...(pair !== undefined ? { cert: pair.cert, key: pair.key } : {}), ...(caPem !== undefined ? { ca: caPem } : {}) });
  } catch (err) {
    const files = [tls.cert_file, tls.key_file, tls.ca_file]
      .filter((f) => f !== undefined)
      .map((f) => `'${f}'`)
      .join(", ");
    throw new ConfigError(at, `cannot build a TLS context from ${files} (${(err as Error).message.split("\n")[0] ?? ""})`);
  }
  return warnings;
}

function validityWarnings(cert: X509Certificate, file: string, setting: string, nowMs: number): string[] {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (nowMs > to) return [`${setting}: the certificate in '${file}' expired on ${new Date(to).toISOString()}; the broker will refuse every connection with it`];
  if (nowMs < from) return [`${setting}: the certificate in '${file}' is not valid before ${new Date(from).toISOString()}; check the clock or the certificate`];
  return [];
}
