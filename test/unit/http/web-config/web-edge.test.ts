import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../src/config/errors.js";
import { webConfigFrom, webSettingsFrom } from "../../../../src/http/web-config/load-web-config.js";
import { startTestApp } from "../../../helpers/app.js";
import { makeTestPki } from "../../../helpers/certs.js";
import { webConfigFixture, type WebConfigRow } from "../../../helpers/web-config-rows.js";

const { dir, pki, servers, files, trusted } = webConfigFixture("mde-edge-");
const tls = { cert_file: pki.serverCert, key_file: pki.serverKey };
const basic = (user: string) => `Basic ${Buffer.from(`${user}:pw`).toString("base64")}`;

const rows: WebConfigRow[] = [
  { option: "http2 (default true): HTTP/2 and HTTP/1.1", yaml: files, expect: [[{ ...trusted(), h2: true }, 200], [trusted(), 200]] },
  { option: "http2 false: HTTP/1.1 only", yaml: () => `${files()}http_server_config:\n  http2: false\n`, expect: [[trusted(), 200], [{ ...trusted(), h2: true }, undefined]] },
];

describe("exporter-toolkit web-config options: each file starts and serves (real TLS clients)", () => {
  it.each(rows.map((r) => [r.option, r] as const))("%s", async (_option, row) => servers.check(row));
});

describe("WebEdge.appDeps", () => {
  it("TLS options for the server, HTTP/2 with the HTTP/1.1 fallback only over TLS, and one plugin", () => {
    const plain = webConfigFrom({ http_server_config: { http2: true } }, dir).appDeps;
    expect(plain.serverOptions).toEqual({});
    expect(plain.plugins).toHaveLength(1);
    const h2 = webConfigFrom({ tls_server_config: tls }, dir).appDeps.serverOptions ?? {};
    expect([h2["http2"], (h2["https"] as { allowHTTP1?: boolean }).allowHTTP1]).toEqual([true, true]);
    const h1 = webConfigFrom({ tls_server_config: tls, http_server_config: { http2: false } }, dir).appDeps.serverOptions ?? {};
    expect([h1["http2"], (h1["https"] as { allowHTTP1?: boolean }).allowHTTP1]).toEqual([undefined, undefined]);
  });
});

describe("WebEdge.reload", () => {
  it("swaps users, headers and the rate limit in place", async () => {
    const web = webConfigFrom({ basic_auth_users: { alice: bcrypt.hashSync("pw", 4) } }, dir);
    const t = await startTestApp(["heater-1"], web.appDeps);
    try {
      expect((await t.app.inject({ url: "/healthz", headers: { authorization: basic("alice") } })).statusCode).toBe(200);
      await web.edge.reload(webSettingsFrom({ basic_auth_users: { bob: bcrypt.hashSync("pw", 4) }, http_server_config: { headers: { "X-Frame-Options": "deny" } } }, dir));
      const alice = await t.app.inject({ url: "/healthz", headers: { authorization: basic("alice") } });
      expect(alice.statusCode).toBe(401);
      expect(alice.headers["x-frame-options"]).toBe("deny");
      expect((await t.app.inject({ url: "/healthz", headers: { authorization: basic("bob") } })).statusCode).toBe(200);
      await web.edge.reload(webSettingsFrom({ rate_limit: { interval: "1h", burst: 1 } }, dir));
      expect((await t.app.inject({ url: "/healthz" })).statusCode).toBe(200);
      expect((await t.app.inject({ url: "/healthz" })).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });

  it("what needs a new server is refused and the running config stays", async () => {
    const web = webConfigFrom({ tls_server_config: tls, basic_auth_users: { alice: bcrypt.hashSync("pw", 4) } }, dir);
    await expect(web.edge.reload(webSettingsFrom({}, dir))).rejects.toThrow(ConfigError);
    await expect(web.edge.reload(webSettingsFrom({ tls_server_config: tls, http_server_config: { http2: false } }, dir))).rejects.toThrow(/http2: a change needs a restart/);
    await expect(web.edge.reload(webSettingsFrom({ tls_server_config: { ...tls, client_auth_type: "RequireAnyClientCert" } }, dir))).rejects.toThrow(/needs a restart/);
    expect(web.edge.settings.users?.has("alice")).toBe(true);
  });
});

describe("WebEdge.reload of certificates and client certificate modes", () => {
  it("RequireAndVerifyClientCert to VerifyClientCertIfGiven: a client without a certificate gets through the handshake", async () => {
    const { probe } = await import("../../../helpers/https-probe.js");
    const web = webConfigFrom({ tls_server_config: { ...tls, client_auth_type: "RequireAndVerifyClientCert", client_ca_file: pki.caCert } }, dir);
    const t = await startTestApp(["heater-1"], web.appDeps);
    try {
      const url = `${await t.app.listen({ port: 0, host: "127.0.0.1" })}/healthz`;
      await expect(probe(url, { ca: pki.caCert })).rejects.toThrow();
      await web.edge.reload(webSettingsFrom({ tls_server_config: { ...tls, client_auth_type: "VerifyClientCertIfGiven", client_ca_file: pki.caCert } }, dir));
      expect((await probe(url, { ca: pki.caCert })).status).toBe(200);
      expect((await probe(url, { ca: pki.caCert, cert: pki.rogueClientCert, key: pki.rogueClientKey })).status).toBe(403);
    } finally {
      await t.close();
    }
  });

  it("a new certificate serves the next TLS connections without a restart", async () => {
    const { probe } = await import("../../../helpers/https-probe.js");
    const other = makeTestPki(mkdtempSync(join(dir, "other-")));
    const web = webConfigFrom({ tls_server_config: tls }, dir);
    const t = await startTestApp(["heater-1"], web.appDeps);
    try {
      const url = `${await t.app.listen({ port: 0, host: "127.0.0.1" })}/healthz`;
      expect((await probe(url, { ca: pki.caCert })).status).toBe(200);
      await web.edge.reload(webSettingsFrom({ tls_server_config: { cert_file: other.serverCert, key_file: other.serverKey } }, dir));
      expect((await probe(url, { ca: other.caCert })).status).toBe(200);
      await expect(probe(url, { ca: pki.caCert })).rejects.toThrow();
    } finally {
      await t.close();
    }
  });
});
