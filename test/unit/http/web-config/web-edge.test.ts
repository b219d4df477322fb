import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../../../src/config/errors.js";
import type { BasicAuthChecker } from "../../../../src/http/web-config/basic-auth.js";
import { webConfigFrom } from "../../../../src/http/web-config/load-web-config.js";
import { webSettingsFrom } from "../../../../src/http/web-config/web-settings.js";
import { startTestApp } from "../../../helpers/app.js";
import { makeTestPki } from "../../../helpers/certs.js";
import { webConfigFixture, type WebConfigRow } from "../../../helpers/web-config-rows.js";

const { dir, pki, servers, files, trusted } = webConfigFixture("mde-edge-");
const tls = { cert_file: pki.serverCert, key_file: pki.serverKey };
const basic = (user: string) => `Basic ${Buffer.from(`${user}:pw`).toString("base64")}`;

const rows: WebConfigRow[] = [
  {
    option: "http2 (default true): HTTP/2 and HTTP/1.1",
    yaml: files,
    expect: [
      [{ ...trusted(), h2: true }, 200],
      [trusted(), 200],
    ],
  },
  {
    option: "http2 false: HTTP/1.1 only",
    yaml: () => `${files()}http_server_config:\n  http2: false\n`,
    expect: [
      [trusted(), 200],
      [{ ...trusted(), h2: true }, undefined],
    ],
  },
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
      await web.edge.reload(
        webSettingsFrom({ basic_auth_users: { bob: bcrypt.hashSync("pw", 4) }, http_server_config: { headers: { "X-Frame-Options": "deny" } } }, dir),
      );
      const alice = await t.app.inject({ url: "/healthz", headers: { authorization: basic("alice") } });
      expect(alice.statusCode).toBe(401);
      expect(alice.headers["x-frame-options"]).toBe("deny");
      expect((await t.app.inject({ url: "/healthz", headers: { authorization: basic("bob") } })).statusCode).toBe(200);
      await web.edge.reload(webSettingsFrom({ basic_auth_users: { bob: bcrypt.hashSync("pw", 4) }, rate_limit: { interval: "1h", burst: 1 } }, dir));
      expect((await t.app.inject({ url: "/healthz", headers: { authorization: basic("bob") } })).statusCode).toBe(200);
      expect((await t.app.inject({ url: "/healthz", headers: { authorization: basic("bob") } })).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });

  it("what needs a new server is refused and the running config stays", async () => {
    const web = webConfigFrom({ tls_server_config: tls, basic_auth_users: { alice: bcrypt.hashSync("pw", 4) } }, dir);
    await expect(web.edge.reload(webSettingsFrom({}, dir))).rejects.toThrow(ConfigError);
    await expect(web.edge.reload(webSettingsFrom({ tls_server_config: tls, http_server_config: { http2: false } }, dir))).rejects.toThrow(
      /http2: a change needs a restart/,
    );
    await expect(web.edge.reload(webSettingsFrom({ tls_server_config: { ...tls, client_auth_type: "RequireAnyClientCert" } }, dir))).rejects.toThrow(
      /needs a restart/,
    );
    expect(web.edge.settings.users?.has("alice")).toBe(true);
  });
});

describe("WebEdge.reload never turns basic auth off", () => {
  it.each([
    ["an empty file", null],
    ["basic_auth_users: {}", { basic_auth_users: {} }],
    ["basic_auth_users: (null)", { basic_auth_users: null }],
  ])("%s: refused, and requests without credentials still get 401", async (_what, file) => {
    const web = webConfigFrom({ basic_auth_users: { alice: bcrypt.hashSync("pw", 4) } }, dir);
    const t = await startTestApp(["heater-1"], web.appDeps);
    try {
      await expect(web.edge.reload(webSettingsFrom(file, dir))).rejects.toThrow(/^basic_auth_users: .*restart/);
      expect((await t.app.inject({ url: "/metrics" })).statusCode).toBe(401);
      expect((await t.app.inject({ url: "/metrics", headers: { authorization: basic("alice") } })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it("an unchanged file keeps the verified credentials (no bcrypt again); a changed hash does not", async () => {
    const file = { basic_auth_users: { alice: bcrypt.hashSync("pw", 4), bob: bcrypt.hashSync("pw", 4) } };
    const web = webConfigFrom(file, dir);
    const t = await startTestApp(["heater-1"], web.appDeps);
    try {
      for (const user of ["alice", "bob"]) expect((await t.app.inject({ url: "/healthz", headers: { authorization: basic(user) } })).statusCode).toBe(200);
      const verifier = (web.edge as unknown as { policy: { checker: BasicAuthChecker } }).policy.checker.verifier;
      const verify = vi.spyOn(verifier, "verify");
      await web.edge.reload(webSettingsFrom(file, dir));
      await web.edge.reload(webSettingsFrom({ basic_auth_users: { ...file.basic_auth_users, bob: bcrypt.hashSync("pw", 4) } }, dir));
      expect((await t.app.inject({ url: "/healthz", headers: { authorization: basic("alice") } })).statusCode).toBe(200);
      expect(verify).not.toHaveBeenCalled();
      expect((await t.app.inject({ url: "/healthz", headers: { authorization: basic("bob") } })).statusCode).toBe(200);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      await t.close();
    }
  });
});

describe("WebEdge.reload of certificates and client certificate modes", () => {
  it("VerifyClientCertIfGiven to RequireAndVerifyClientCert: a client without a certificate is refused in the handshake; back is refused", async () => {
    const { probe } = await import("../../../helpers/https-probe.js");
    const given = webSettingsFrom({ tls_server_config: { ...tls, client_auth_type: "VerifyClientCertIfGiven", client_ca_file: pki.caCert } }, dir);
    const web = webConfigFrom({ tls_server_config: { ...tls, client_auth_type: "VerifyClientCertIfGiven", client_ca_file: pki.caCert } }, dir);
    const t = await startTestApp(["heater-1"], web.appDeps);
    try {
      const url = `${await t.app.listen({ port: 0, host: "127.0.0.1" })}/healthz`;
      expect((await probe(url, { ca: pki.caCert })).status).toBe(200);
      await web.edge.reload(
        webSettingsFrom({ tls_server_config: { ...tls, client_auth_type: "RequireAndVerifyClientCert", client_ca_file: pki.caCert } }, dir),
      );
      await expect(probe(url, { ca: pki.caCert })).rejects.toThrow();
      expect((await probe(url, { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey })).status).toBe(200);
      // Weakening it again would let a client without a certificate in: a restart, not a SIGHUP.
      await expect(web.edge.reload(given)).rejects.toThrow(/would stop requiring a client certificate/);
      await expect(probe(url, { ca: pki.caCert })).rejects.toThrow();
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
