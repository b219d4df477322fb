import type { TLSSocket } from "node:tls";
import type { ClientAuthType } from "./go-tls-names.js";

function sansOf(socket: TLSSocket): string[] {
  const san = socket.getPeerCertificate().subjectaltname ?? "";
  return san
    .split(",")
    .map((s) => s.trim().replace(/^(DNS|IP Address|email|URI):/, ""))
    .filter((s) => s !== "");
}

/**
 * Why a request's client certificate does not satisfy the mode and SAN list, if it does not.
 * RequireAndVerifyClientCert is enforced in the handshake; the other modes and the SANs here.
 */
export function clientCertRefusal(socket: TLSSocket, mode: ClientAuthType, allowedSans: readonly string[] | undefined): string | undefined {
  const presented = typeof socket.getPeerCertificate === "function" && Object.keys(socket.getPeerCertificate()).length > 0;
  const verified = presented && socket.authorized;
  if (mode === "RequireAnyClientCert" && !presented) return "a client certificate is required";
  if (mode === "VerifyClientCertIfGiven" && presented && !verified) return "the client certificate is not trusted";
  if (mode === "RequireAndVerifyClientCert" && !verified) return "a trusted client certificate is required";
  if (allowedSans !== undefined) {
    // A SAN list means a certificate is required, whatever the mode says of a missing one.
    if (!verified) return "a trusted client certificate with an allowed SAN is required";
    if (!sansOf(socket).some((s) => allowedSans.includes(s))) return "the client certificate's SAN is not allowed";
  }
  return undefined;
}
