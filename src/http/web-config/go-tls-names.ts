import type { SecureVersion } from "node:tls";

// exporter-toolkit takes Go's crypto/tls names; Node takes OpenSSL's. Each table is the toolkit's
// accepted set (tls.CipherSuites(): Go's insecure suites are refused there as here), so a file
// that works with the toolkit works here, and one the toolkit refuses is refused.

export const TLS_VERSIONS = { TLS10: "TLSv1", TLS11: "TLSv1.1", TLS12: "TLSv1.2", TLS13: "TLSv1.3" } as const satisfies Record<string, SecureVersion>;

/** TLS 1.2 suites: Go name -> OpenSSL name. */
export const GO_TLS12_CIPHERS: ReadonlyMap<string, string> = new Map([
  ["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"],
  ["TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"],
  ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"],
  ["TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"],
  ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"],
  ["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"],
  ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"],
  ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"],
  ["TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"],
  ["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"],
]);

/** TLS 1.3 suites: accepted by name and, as in Go, not configurable (all stay enabled). */
export const GO_TLS13_CIPHERS: ReadonlySet<string> = new Set(["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]);

/** Go CurveID names -> OpenSSL group names. */
export const GO_CURVES: ReadonlyMap<string, string> = new Map([
  ["CurveP256", "P-256"],
  ["CurveP384", "P-384"],
  ["CurveP521", "P-521"],
  ["X25519", "X25519"],
]);

export const CLIENT_AUTH_TYPES = [
  "NoClientCert",
  "RequestClientCert",
  "RequireAnyClientCert",
  "RequireClientCert",
  "VerifyClientCertIfGiven",
  "RequireAndVerifyClientCert",
] as const;
export type ClientAuthType = Exclude<(typeof CLIENT_AUTH_TYPES)[number], "RequireClientCert">;

/** `RequireClientCert` is the toolkit's old name for RequireAnyClientCert; empty means none. */
export function clientAuthType(value: (typeof CLIENT_AUTH_TYPES)[number] | ""): ClientAuthType {
  if (value === "") return "NoClientCert";
  return value === "RequireClientCert" ? "RequireAnyClientCert" : value;
}

/** The modes in which a presented certificate is verified against a CA. */
export function verifies(mode: ClientAuthType): boolean {
  return mode === "VerifyClientCertIfGiven" || mode === "RequireAndVerifyClientCert";
}
