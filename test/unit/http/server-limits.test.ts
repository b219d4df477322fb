import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TIMEOUTS, serverOptionsFor } from "../../../src/http/server-limits.js";
import { loadWebConfig } from "../../../src/http/web-config/load-web-config.js";
import { makeTestPki, type TestPki } from "../../helpers/certs.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";

let dir: string;
let pki: TestPki;
const apps: TestApp[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mde-idle-"));
  pki = makeTestPki(dir);
});
afterAll(async () => {
  for (const a of apps) await a.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(tls: boolean, timeouts: Record<string, number>): Promise<{ app: TestApp; port: number }> {
  const file = join(dir, `web-${apps.length}.yml`);
  writeFileSync(file, tls ? `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n` : "");
  const web = await loadWebConfig(file);
  const app = await startTestApp(["heater-1"], { ...web.appDeps, timeouts });
  apps.push(app);
  const url = await app.app.listen({ port: 0, host: "127.0.0.1" });
  return { app, port: Number(new URL(url).port) };
}

/** What the server sent before it closed the socket (resolves on close). */
function closed(socket: Socket): Promise<string> {
  let got = "";
  socket.on("data", (d: Buffer) => (got += d.toString()));
  socket.on("error", () => undefined);
  return new Promise((resolve) => socket.once("close", () => resolve(got)));
}

function tcp(port: number, send?: string): Socket {
  const s = tcpConnect(port, "127.0.0.1");
  if (send !== undefined) s.write(send);
  return s;
}

describe("serverOptionsFor", () => {
  it("hands each bound to Node and Fastify, checking often enough for the shortest to fire on time", () => {
    const o = serverOptionsFor({ ...DEFAULT_TIMEOUTS, headersMs: 2_000, requestMs: 3_000 }, undefined);
    expect(o).toMatchObject({ requestTimeout: 3_000, connectionTimeout: 10_000, http2SessionTimeout: 10_000, keepAliveTimeout: 5_000 });
    expect(o["http"]).toEqual({ headersTimeout: 2_000, requestTimeout: 3_000, connectionsCheckingInterval: 500, keepAliveTimeout: 5_000 });
    expect(o["https"]).toBeUndefined();
    // Checked at least every second, never more than every 100 ms.
    expect((serverOptionsFor(DEFAULT_TIMEOUTS, undefined)["http"] as { connectionsCheckingInterval: number }).connectionsCheckingInterval).toBe(1_000);
    expect(
      (serverOptionsFor({ ...DEFAULT_TIMEOUTS, headersMs: 50 }, undefined)["http"] as { connectionsCheckingInterval: number }).connectionsCheckingInterval,
    ).toBe(100);
  });

  it("bounds the TLS handshake too, keeping the TLS options given", () => {
    const o = serverOptionsFor({ ...DEFAULT_TIMEOUTS, idleMs: 4_000, headersMs: 6_000 }, { cert: "c", key: "k" });
    expect(o["https"]).toMatchObject({ cert: "c", key: "k", handshakeTimeout: 4_000, headersTimeout: 6_000 });
  });
});

const short = { idleMs: 1_000, headersMs: 1_500, requestMs: 2_000, keepAliveMs: 500 };

describe("idle and incomplete connections are closed by the server", () => {
  it("plain HTTP: nothing sent, half the headers, half the body, a header trickled byte by byte", async () => {
    const { port } = await start(false, short);
    const trickle = tcp(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n");
    const drip = setInterval(() => trickle.write("X-A: b\r\n"), 300);
    const results = await Promise.all([
      closed(tcp(port)),
      closed(tcp(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n")),
      closed(tcp(port, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")),
      closed(trickle),
    ]);
    clearInterval(drip);
    expect(results[0]).toBe("");
    // The trickled headers never idle the socket: headersTimeout is what closes it.
    expect(results[3]).toMatch(/^$|^HTTP\/1\.1 408/);
  });

  it("TLS: a client that never starts the handshake, or handshakes and sends nothing, is closed", async () => {
    const { port } = await start(true, short);
    const handshaken = tlsConnect({ port, host: "127.0.0.1", ca: readFileSync(pki.caCert) });
    const results = await Promise.all([closed(tcp(port)), closed(handshaken)]);
    expect(results).toEqual(["", ""]);
  });

  it("TLS with HTTP/2 on (the default): HTTP/1.1 headers trickled byte by byte are cut off too", async () => {
    const { port } = await start(true, short);
    // Node's HTTP/2 server gives HTTP/1.1 clients no headersTimeout of its own.
    const trickle = tlsConnect({ port, host: "127.0.0.1", ca: readFileSync(pki.caCert), ALPNProtocols: ["http/1.1"] }, () =>
      trickle.write("GET /metrics HTTP/1.1\r\nHost: x\r\n"),
    );
    const drip = setInterval(() => trickle.write("X-A: b\r\n"), 300);
    const h2 = tlsConnect({ port, host: "127.0.0.1", ca: readFileSync(pki.caCert), ALPNProtocols: ["h2"] });
    await Promise.all([closed(trickle), closed(h2)]);
    clearInterval(drip);
  });
});

describe("closing the app does not wait on what the sockets do", () => {
  it("an idle TCP socket, an idle TLS session and half a request: close() completes", async () => {
    // Timeouts far beyond the test's own: only the shutdown path can end these sockets.
    const { app, port } = await start(true, { idleMs: 600_000, headersMs: 600_000, requestMs: 600_000, keepAliveMs: 600_000, closeGraceMs: 200 });
    const sockets = [tcp(port), tlsConnect({ port, host: "127.0.0.1", ca: readFileSync(pki.caCert) })];
    const half = tlsConnect({ port, host: "127.0.0.1", ca: readFileSync(pki.caCert) }, () => half.write("GET /metrics HTTP/1.1\r\nHost: x\r\n"));
    sockets.push(half);
    const allClosed = Promise.all(sockets.map(closed));
    await new Promise<void>((r) => half.once("secureConnect", () => r()));
    apps.splice(apps.indexOf(app), 1);
    await app.close();
    await allClosed;
  }, 20_000);
});
