import { readFileSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { createSecureContext, getCiphers, type SecureContextOptions } from "node:tls";
import { ConfigError } from "../../config/errors.js";
import { clientAuthType, GO_CURVES, GO_TLS12_CIPHERS, GO_TLS13_CIPHERS, TLS_VERSIONS, verifies, type ClientAuthType } from "./go-tls-names.js";
import { pemCertificates, pemPrivateKey } from "./pem.js";
import type { TlsServerConfig } from "./schema.js";

const MAX_PEM_BYTES = 1024 * 1024;
const at = (key: string) => `tls_server_config.${key}`;

export interface TlsServer {
  /** Options for Node's TLS server; a secure context was built from them at load. */
  options: SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean };
  mode: ClientAuthType;
  allowedSans: string[] | undefined;
}

function readPem(base: string, file: string, setting: string): string {
  const full = isAbsolute(file) ? file : resolve(base, file);
  try {
    const st = statSync(full);
    if (!st.isFile()) throw new ConfigError(setting, `'${file}' is not a regular file`);
    if (st.size > MAX_PEM_BYTES) throw new ConfigError(setting, `'${file}' is ${st.size} bytes; a PEM file is a few kB`);
    return readFileSync(full, "latin1");
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(setting, `cannot read '${file}' (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

/** Inline `cert`/`key`/`client_ca` or their `_file` forms, never both (which one would win is a guess). */
function pemOf(tls: TlsServerConfig, inline: "cert" | "key" | "client_ca", base: string): { pem: string; setting: string; source: string } | undefined {
  const value = tls[inline];
  const file = tls[`${inline}_file`];
  const given = (v: string | undefined) => v !== undefined && v !== "";
  if (given(value) && given(file)) throw new ConfigError(at(inline), `and ${inline}_file are both set; give one`);
  if (given(file)) return { pem: readPem(base, file as string, at(`${inline}_file`)), setting: at(`${inline}_file`), source: `'${file as string}'` };
  if (given(value)) return { pem: value as string, setting: at(inline), source: "the inline PEM" };
  return undefined;
}

function ciphers(names: readonly string[]): string {
  const openssl: string[] = [];
  const available = new Set(getCiphers());
  for (const name of names) {
    if (GO_TLS13_CIPHERS.has(name)) continue;
    const mapped = GO_TLS12_CIPHERS.get(name);
    if (mapped === undefined)
      throw new ConfigError(
        at("cipher_suites"),
        `unknown or insecure cipher '${name}'; accepted: ${[...GO_TLS12_CIPHERS.keys(), ...GO_TLS13_CIPHERS].join(", ")}`,
      );
    if (!available.has(mapped.toLowerCase())) throw new ConfigError(at("cipher_suites"), `'${name}' (${mapped}) is not available in this Node's OpenSSL`);
    openssl.push(mapped);
  }
  return openssl.join(":");
}

function curves(names: readonly string[]): string {
  return names
    .map((name) => {
      const mapped = GO_CURVES.get(name);
      if (mapped === undefined) throw new ConfigError(at("curve_preferences"), `unknown curve '${name}'; accepted: ${[...GO_CURVES.keys()].join(", ")}`);
      return mapped;
    })
    .join(":");
}

/** The TLS 1.2 suites HTTP/2 requires (RFC 7540 9.2.2), as Go's HTTP/2 server checks them. */
const HTTP2_REQUIRED = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"];

/**
 * With HTTP/2 on and TLS 1.2 allowed, a cipher list must hold one of the suites HTTP/2 requires:
 * the toolkit's server refuses to start otherwise (Go's http2.ConfigureServer), and a client
 * negotiating h2 over another suite may abort the connection (INADEQUATE_SECURITY).
 */
export function checkHttp2Ciphers(tls: TlsServerConfig): void {
  const list = tls.cipher_suites ?? [];
  if (list.length === 0 || TLS_VERSIONS[tls.min_version] === "TLSv1.3") return;
  if (list.some((name) => HTTP2_REQUIRED.includes(name))) return;
  throw new ConfigError(
    at("cipher_suites"),
    `HTTP/2 needs ${HTTP2_REQUIRED.join(" or ")} when TLS 1.2 is allowed; add one, set min_version: TLS13, or set http_server_config.http2: false`,
  );
}

/** Whether the toolkit would turn TLS on: any certificate, key, CA or client auth setting. */
export function tlsEnabled(tls: TlsServerConfig): boolean {
  return (
    [tls.cert, tls.key, tls.client_ca, tls.cert_file, tls.key_file, tls.client_ca_file].some((v) => v !== undefined && v !== "") ||
    (tls.client_auth_type !== "" && tls.client_auth_type !== "NoClientCert")
  );
}

/**
 * exporter-toolkit's tls_server_config rules, then a secure context built from the result, so a
 * file that passes here also starts: what OpenSSL would refuse at the first handshake is refused now.
 */
export function tlsServerFrom(tls: TlsServerConfig, base: string): TlsServer {
  const mode = clientAuthType(tls.client_auth_type);
  const cert = pemOf(tls, "cert", base);
  const key = pemOf(tls, "key", base);
  if (cert === undefined) throw new ConfigError(at("cert_file"), "missing one of cert or cert_file");
  if (key === undefined) throw new ConfigError(at("key_file"), "missing one of key or key_file");
  const [leaf] = pemCertificates(cert.pem, cert.setting, cert.source);
  const privateKey = pemPrivateKey(key.pem, key.setting, key.source);
  if (leaf !== undefined && !leaf.checkPrivateKey(privateKey))
    throw new ConfigError(key.setting, `${key.source} does not match the certificate in ${cert.source}`);
  const ca = pemOf(tls, "client_ca", base);
  if (ca !== undefined) pemCertificates(ca.pem, ca.setting, ca.source);
  if (ca !== undefined && mode === "NoClientCert")
    throw new ConfigError(at("client_auth_type"), "client CAs are configured without a client auth policy (set client_auth_type)");
  // Without a CA, Node (like Go) verifies against the public web CAs: no client of the operator's
  // own CA ever passes, so the server would start and then refuse everyone in the handshake.
  if (ca === undefined && mode === "RequireAndVerifyClientCert")
    throw new ConfigError(
      at("client_ca_file"),
      "RequireAndVerifyClientCert needs client_ca_file or client_ca (without one only public web CAs would be trusted)",
    );
  const sans = tls.client_allowed_sans ?? undefined;
  // The SANs of a certificate nobody verified prove nothing: anyone can mint one with them.
  if (sans !== undefined && !verifies(mode))
    throw new ConfigError(at("client_allowed_sans"), "needs client_auth_type VerifyClientCertIfGiven or RequireAndVerifyClientCert");
  if (sans !== undefined && sans.length === 0)
    throw new ConfigError(at("client_allowed_sans"), "is empty: no certificate could pass; remove it or list the allowed SANs");
  const min = TLS_VERSIONS[tls.min_version];
  const max = TLS_VERSIONS[tls.max_version];
  if (min > max) throw new ConfigError(at("min_version"), `must not be above max_version (${tls.max_version})`);
  const options: TlsServer["options"] = {
    cert: cert.pem,
    key: key.pem,
    ...(ca !== undefined ? { ca: ca.pem } : {}),
    requestCert: mode !== "NoClientCert",
    // Only this mode rejects in the handshake; the others are checked per request.
    rejectUnauthorized: mode === "RequireAndVerifyClientCert",
    minVersion: min,
    maxVersion: max,
    honorCipherOrder: tls.prefer_server_cipher_suites,
  };
  if (tls.cipher_suites != null && tls.cipher_suites.length > 0) {
    const list = ciphers(tls.cipher_suites);
    if (list === "" && min !== "TLSv1.3")
      throw new ConfigError(at("cipher_suites"), "lists only TLS 1.3 suites, which leaves TLS 1.2 with none: add TLS 1.2 suites or set min_version: TLS13");
    if (list !== "") options.ciphers = list;
  }
  if (tls.curve_preferences != null && tls.curve_preferences.length > 0) options.ecdhCurve = curves(tls.curve_preferences);
  try {
    createSecureContext(options);
  } catch (err) {
    throw new ConfigError("tls_server_config", `cannot build a TLS context (${(err as Error).message.split("\n")[0] ?? ""})`);
  }
  return { options, mode, allowedSans: sans };
}
