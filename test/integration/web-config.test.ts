import { request } from "node:https";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWebConfig } from "../../src/http/web-config/load-web-config.js";
import { makeTestPki, type TestPki } from "../helpers/certs.js";
import { runMain } from "../helpers/cli.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

let dir: string;
let pki: TestPki;
const apps: TestApp[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mde-web-"));
  pki = makeTestPki(dir);
});
afterAll(async () => {
  for (const a of apps) await a.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(yaml: string): Promise<string> {
  const file = join(dir, `web-${apps.length}.yml`);
  writeFileSync(file, yaml);
  const web = await loadWebConfig(file);
  const t = await startTestApp(["heater-1"], web.appDeps);
  apps.push(t);
  return t.app.listen({ port: 0, host: "127.0.0.1" });
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, opts: { cert?: string; key?: string; ca?: string; auth?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: readFileSync(opts.ca ?? pki.caCert),
        ...(opts.cert ? { cert: readFileSync(opts.cert), key: readFileSync(opts.key ?? "") } : {}),
        ...(opts.auth ? { headers: { authorization: `Basic ${Buffer.from(opts.auth).toString("base64")}` } } : {}),
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const tls = (extra = "") => `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n${extra}`;

describe("--web.config.file (exporter-toolkit format) with real TLS clients", () => {
  it("serves over TLS; a client that does not trust the server's CA fails", async () => {
    const url = await serve(tls());
    expect((await get(`${url}/metrics`)).status).toBe(200);
    await expect(get(`${url}/metrics`, { ca: pki.rogueCaCert })).rejects.toThrow(/certificate|self.signed|unable to verify/i);
  });

  it("RequireAndVerifyClientCert: a good client certificate passes, a missing or foreign one fails", async () => {
    const url = await serve(tls(`  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${pki.caCert}\n`));
    expect((await get(`${url}/metrics`, { cert: pki.clientCert, key: pki.clientKey })).status).toBe(200);
    await expect(get(`${url}/metrics`)).rejects.toThrow();
    await expect(get(`${url}/metrics`, { cert: pki.rogueClientCert, key: pki.rogueClientKey })).rejects.toThrow();
  });

  it("RequireAnyClientCert: no certificate gets 403", async () => {
    const url = await serve(tls(`  client_auth_type: RequireAnyClientCert\n`));
    expect((await get(`${url}/healthz`)).status).toBe(403);
    expect((await get(`${url}/healthz`, { cert: pki.rogueClientCert, key: pki.rogueClientKey })).status).toBe(200);
  });

  it("basic auth: right password passes, wrong or missing gets 401 with WWW-Authenticate, /healthz included", async () => {
    const hash = bcrypt.hashSync("s3cret", 4);
    const url = await serve(`${tls()}basic_auth_users:\n  prometheus: ${hash}\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n    Content-Security-Policy: "default-src 'self'"\n`);
    const ok = await get(`${url}/metrics`, { auth: "prometheus:s3cret" });
    expect(ok.status).toBe(200);
    expect(ok.headers["x-frame-options"]).toBe("deny");
    // A second request is served from the verified-credentials cache, with the same answer.
    expect((await get(`${url}/diagnostics.json`, { auth: "prometheus:s3cret" })).status).toBe(200);
    for (const auth of ["prometheus:wrong", "nobody:s3cret", undefined]) {
      const r = await get(`${url}/healthz`, auth === undefined ? {} : { auth });
      expect(r.status).toBe(401);
      expect(r.headers["www-authenticate"]).toBe('Basic realm="mqtt-diagnostics"');
      expect(r.headers["x-frame-options"]).toBe("deny");
    }
  });
});

describe("invalid web config files: exit 2 naming the setting", () => {
  it.each([
    ["tls_server_config:\n  cert_file: /nonexistent.crt\n  key_file: /nonexistent.key\n", /tls_server_config\.cert_file: cannot read/],
    ["tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Sometimes\n", /tls_server_config\.client_auth_type: .*RequireAndVerifyClientCert/],
    ["tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n", /tls_server_config\.client_ca_file: is required/],
    ["basic_auth_users:\n  alice: plaintext\n", /basic_auth_users\.alice: must be a bcrypt hash/],
    ["http_server_config:\n  headers:\n    Server: nginx\n", /http_server_config\.headers\.Server: is not allowed/],
    ["tls_config:\n  cert_file: a\n", /unknown key 'tls_config'/],
    ["basic_auth_users: [\n", /not valid YAML/],
  ])("%j", (yaml, message) => {
    const file = join(dir, "bad-web.yml");
    writeFileSync(file, yaml);
    const r = runMain(["--web.config.file", file, "--web.listen-address", "127.0.0.1:1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
