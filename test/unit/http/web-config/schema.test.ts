import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { webConfigSchema } from "../../../../src/http/web-config/schema.js";
import { webConfigFixture, type WebConfigRow } from "../../../helpers/web-config-rows.js";

const { servers, files, trusted } = webConfigFixture("mde-web-schema-");
const hash = bcrypt.hashSync("s3cret", 4);

const rows: WebConfigRow[] = [
  {
    option: "basic_auth_users: a user named __proto__",
    yaml: () => `${files()}basic_auth_users:\n  __proto__: ${hash}\n`,
    expect: [
      [trusted(), 401],
      [{ ...trusted(), auth: "__proto__:s3cret" }, 200],
    ],
  },
];

describe("exporter-toolkit web-config options: each file starts and serves (real TLS clients)", () => {
  it.each(rows.map((r) => [r.option, r] as const))("%s", async (_option, row) => servers.check(row));
});

describe("webConfigSchema", () => {
  it("has the toolkit's defaults", () => {
    expect(webConfigSchema.parse({ tls_server_config: {}, http_server_config: {} })).toEqual({
      tls_server_config: { client_auth_type: "NoClientCert", min_version: "TLS12", max_version: "TLS13", prefer_server_cipher_suites: true },
      http_server_config: { http2: true },
    });
  });

  it("reads mappings into Maps from their own entries: __proto__ is a key like any other", () => {
    // As the YAML parser builds it: an own property named __proto__.
    const users = JSON.parse(`{ "__proto__": "h1", "alice": "h2" }`) as object;
    const parsed = webConfigSchema.parse({ basic_auth_users: users, http_server_config: { headers: null } });
    expect(parsed.basic_auth_users).toEqual(
      new Map([
        ["__proto__", "h1"],
        ["alice", "h2"],
      ]),
    );
    expect(parsed.http_server_config?.headers).toEqual(new Map());
  });

  it("takes a header value YAML reads as a number or boolean as its text, as the toolkit does (not a password)", () => {
    const parsed = webConfigSchema.parse({ http_server_config: { headers: { "X-XSS-Protection": 1, "Content-Security-Policy": true } } });
    expect(parsed.http_server_config?.headers).toEqual(
      new Map([
        ["X-XSS-Protection", "1"],
        ["Content-Security-Policy", "true"],
      ]),
    );
    expect(webConfigSchema.safeParse({ http_server_config: { headers: { "X-XSS-Protection": [1] } } }).success).toBe(false);
  });

  it.each([
    [{ tls_config: {} }, [], "unrecognized_keys"],
    [{ tls_server_config: { ca_file: "x" } }, ["tls_server_config"], "unrecognized_keys"],
    [{ basic_auth_users: { alice: 1 } }, ["basic_auth_users", "alice"], "custom"],
    [{ basic_auth_users: ["alice"] }, ["basic_auth_users"], "custom"],
    [{ rate_limit: { burst: -1 } }, ["rate_limit", "burst"], "too_small"],
    [{ tls_server_config: { min_version: "TLS14" } }, ["tls_server_config", "min_version"], "invalid_value"],
  ])("refuses %j at %j", (value, path, code) => {
    const r = webConfigSchema.safeParse(value);
    expect(r.success).toBe(false);
    expect({ path: r.error?.issues[0]?.path, code: r.error?.issues[0]?.code }).toEqual({ path, code });
  });
});
