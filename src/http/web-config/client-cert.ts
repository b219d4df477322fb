import type { TLSSocket } from "node:tls";
import type { FastifyInstance } from "fastify";
import { errorBody } from "../errors.js";

export type ClientAuthType = "NoClientCert" | "RequestClientCert" | "RequireAnyClientCert" | "VerifyClientCertIfGiven" | "RequireAndVerifyClientCert";

function sansOf(socket: TLSSocket): string[] {
  const san = socket.getPeerCertificate().subjectaltname ?? "";
  return san
    .split(",")
    .map((s) => s.trim().replace(/^(DNS|IP Address|email|URI):/, ""))
    .filter((s) => s !== "");
}

/**
 * The client-certificate modes Node's TLS server cannot enforce in the handshake alone
 * (RequireAndVerifyClientCert is; the others are checked per request), plus client_allowed_sans.
 */
export function clientCertPlugin(mode: ClientAuthType, allowedSans: string[] | undefined) {
  return (app: FastifyInstance) => {
    app.addHook("onRequest", async (request, reply) => {
      const socket = request.raw.socket as TLSSocket;
      const presented = typeof socket.getPeerCertificate === "function" && Object.keys(socket.getPeerCertificate()).length > 0;
      const verified = presented && socket.authorized;
      let reason: string | undefined;
      if (mode === "RequireAnyClientCert" && !presented) reason = "a client certificate is required";
      if (mode === "VerifyClientCertIfGiven" && presented && !verified) reason = "the client certificate is not trusted";
      if (mode === "RequireAndVerifyClientCert" && !verified) reason = "a trusted client certificate is required";
      if (reason === undefined && allowedSans !== undefined && verified && !sansOf(socket).some((s) => allowedSans.includes(s))) {
        reason = "the client certificate's SAN is not allowed";
      }
      if (reason !== undefined) return reply.code(403).send(errorBody(403, "Forbidden", reason));
      return undefined;
    });
  };
}
