import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readWebSettings, webSettingsFrom } from "../../../../src/http/web-config/web-settings.js";
import { webConfigFixture } from "../../../helpers/web-config-rows.js";

const { dir, pki } = webConfigFixture("mde-websettings-");

describe("readWebSettings and webSettingsFrom", () => {
  it("reads file names relative to the web config file's folder, not the working directory", () => {
    const file = join(pki.dir, "relative-web.yml");
    writeFileSync(file, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
    expect(readWebSettings(file).tls?.mode).toBe("NoClientCert");
  });

  it("an empty file: no TLS, no HTTP/2, no users, no rate limit, no headers", () => {
    expect(webSettingsFrom(null, dir)).toEqual({ tls: undefined, http2: false, headers: new Map(), users: undefined, rateLimit: undefined });
  });

  it("names every unknown key of a mapping in one line", () => {
    expect(() => webSettingsFrom({ tls_config: 1, auth: 2 }, dir)).toThrow(/^\(config\): unknown keys 'tls_config', 'auth'$/);
  });

  it("a rate_limit with an interval is kept in ms with its burst", () => {
    expect(webSettingsFrom({ rate_limit: { interval: "1m30s", burst: 3 } }, dir).rateLimit).toEqual({ intervalMs: 90_000, burst: 3 });
  });

  it("basic_auth_users: {} means no authentication, as in the toolkit", () => {
    expect(webSettingsFrom({ basic_auth_users: {} }, dir).users).toBeUndefined();
  });
});
