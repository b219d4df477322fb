import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { webSettingsFrom } from "../../../../src/http/web-config/web-settings.js";
import { reloadRefusal } from "../../../../src/http/web-config/reload-check.js";
import { makeTestPki } from "../../../helpers/certs.js";

const dir = mkdtempSync(join(tmpdir(), "mde-reload-"));
const pki = makeTestPki(dir);
const tls = (extra: Record<string, unknown> = {}) => ({ tls_server_config: { cert_file: pki.serverCert, key_file: pki.serverKey, ...extra } });
const users = { basic_auth_users: { alice: bcrypt.hashSync("pw", 4) } };
const settings = (value: unknown) => webSettingsFrom(value, dir);
const refusal = (from: unknown, to: unknown) => reloadRefusal(settings(from), settings(to));

describe("reloadRefusal: a reload fails closed", () => {
  it.each([
    ["an empty file", null],
    ["basic_auth_users: {}", { basic_auth_users: {} }],
    ["basic_auth_users: (null)", { basic_auth_users: null }],
  ])("basic auth on, then %s: refused naming basic_auth_users", (_what, to) => {
    expect(refusal(users, to)?.message).toMatch(/^basic_auth_users: .*turn basic auth off.*restart/);
  });

  it("client certificates weakened: refused naming the setting", () => {
    const ca = { client_ca_file: pki.caCert };
    expect(
      refusal(tls({ client_auth_type: "RequireAndVerifyClientCert", ...ca }), tls({ client_auth_type: "VerifyClientCertIfGiven", ...ca }))?.message,
    ).toMatch(/^tls_server_config\.client_auth_type: VerifyClientCertIfGiven would stop requiring a client certificate/);
    expect(refusal(tls({ client_auth_type: "VerifyClientCertIfGiven", ...ca }), tls({ client_auth_type: "RequestClientCert" }))?.message).toMatch(
      /would stop verifying/,
    );
    expect(refusal(tls({ client_auth_type: "RequireAndVerifyClientCert", ...ca }), tls({ client_auth_type: "RequireAnyClientCert" }))?.message).toMatch(
      /would stop verifying/,
    );
    expect(
      refusal(
        tls({ client_auth_type: "VerifyClientCertIfGiven", client_allowed_sans: ["scraper"], ...ca }),
        tls({ client_auth_type: "VerifyClientCertIfGiven", ...ca }),
      )?.message,
    ).toMatch(/client_allowed_sans/);
  });

  it("what the running server cannot change is refused as before", () => {
    expect(refusal(tls(), {})?.message).toMatch(/turning TLS on or off/);
    expect(refusal(tls(), { ...tls(), http_server_config: { http2: false } })?.message).toMatch(/http2/);
    expect(refusal(tls(), tls({ client_auth_type: "RequireAnyClientCert" }))?.message).toMatch(/on or off needs a restart/);
  });

  it("changing users, adding authentication and strengthening client checks are applied", () => {
    const ca = { client_ca_file: pki.caCert };
    expect(refusal(users, { basic_auth_users: { bob: bcrypt.hashSync("pw", 4) } })).toBeUndefined();
    expect(refusal({}, users)).toBeUndefined();
    expect(refusal(null, null)).toBeUndefined();
    expect(
      refusal(tls({ client_auth_type: "VerifyClientCertIfGiven", ...ca }), tls({ client_auth_type: "RequireAndVerifyClientCert", ...ca })),
    ).toBeUndefined();
    expect(refusal(tls({ client_auth_type: "RequestClientCert" }), tls({ client_auth_type: "RequireAnyClientCert" }))).toBeUndefined();
  });
});
