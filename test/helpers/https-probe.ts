import { readFileSync } from "node:fs";
import { request } from "node:https";
import { connect } from "node:http2";
import type { SecureVersion } from "node:tls";

export interface ProbeReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The HTTP version spoken, "1.1" or "2.0". */
  httpVersion: string;
}

export interface ProbeOptions {
  ca?: string;
  cert?: string;
  key?: string;
  auth?: string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
  /** Speak HTTP/2 (ALPN h2) rather than HTTP/1.1. */
  h2?: boolean;
}

/** One GET with a real TLS client (files named by path); a failed handshake rejects. */
export function probe(url: string, o: ProbeOptions = {}): Promise<ProbeReply> {
  const tls = {
    ...(o.ca !== undefined ? { ca: readFileSync(o.ca) } : {}),
    ...(o.cert !== undefined ? { cert: readFileSync(o.cert), key: readFileSync(o.key ?? "") } : {}),
    ...(o.minVersion !== undefined ? { minVersion: o.minVersion } : {}),
    ...(o.maxVersion !== undefined ? { maxVersion: o.maxVersion } : {}),
    ...(o.ciphers !== undefined ? { ciphers: o.ciphers } : {}),
  };
  const headers: Record<string, string> = o.auth !== undefined ? { authorization: `Basic ${Buffer.from(o.auth).toString("base64")}` } : {};
  if (o.h2 === true) return probeH2(url, tls, headers);
  return new Promise((resolve, reject) => {
    const req = request(url, { ...tls, headers, agent: false }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, httpVersion: res.httpVersion }));
    });
    req.on("error", reject);
    req.end();
  });
}

function probeH2(url: string, tls: object, headers: Record<string, string>): Promise<ProbeReply> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const session = connect(u.origin, tls);
    session.on("error", reject);
    const req = session.request({ ":path": `${u.pathname}${u.search}`, ...headers });
    let status = 0;
    let got: Record<string, string | string[] | undefined> = {};
    let body = "";
    req.on("response", (h) => {
      status = Number(h[":status"]);
      got = h;
    });
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      session.close();
      resolve({ status, headers: got, body, httpVersion: "2.0" });
    });
    req.on("error", (err: Error) => {
      session.destroy();
      reject(err);
    });
    req.end();
  });
}
