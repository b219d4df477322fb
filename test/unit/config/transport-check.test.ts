import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { validateConfig } from "../../../src/config/load.js";
import { makeTestPki, type TestPki } from "../../helpers/certs.js";
import { runMain } from "../../helpers/cli.js";

const AWS = "abc123-ats.iot.eu-west-1.amazonaws.com";
let dir: string;
let pki: TestPki;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mde-transport-"));
  pki = makeTestPki(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (connection: Record<string, unknown>) => validateConfig({ connections: [{ endpoint: AWS, client_id: "c", ...connection }] }).config.connections[0];
const mutual = () => ({ cert_file: pki.clientCert, key_file: pki.clientKey });

function refusal(connection: Record<string, unknown>): string {
  try {
    load(connection);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("accepted");
}

describe("connections[].transport", () => {
  it("defaults to mtls: 8883 with tls, 1883 (plain TCP) without", () => {
    expect(load({ tls: mutual() })).toMatchObject({ transport: "mtls", port: 8883 });
    expect(load({})).toMatchObject({ transport: "mtls", port: 1883 });
  });

  it("the other transports default to 443", () => {
    expect(load({ transport: "mtls_alpn", tls: mutual() })?.port).toBe(443);
    expect(load({ transport: "websocket_sigv4" })?.port).toBe(443);
    expect(load({ transport: "custom_auth", custom_auth: { authorizer_name: "a" } })?.port).toBe(443);
    expect(load({ transport: "custom_auth", custom_auth: { authorizer_name: "a", websocket: true } })?.port).toBe(443);
  });

  it("websocket_sigv4 takes the region from an AWS IoT endpoint, or from `region`", () => {
    expect(load({ transport: "websocket_sigv4" })?.region).toBe("eu-west-1");
    expect(load({ transport: "websocket_sigv4", region: "us-east-2" })?.region).toBe("us-east-2");
  });

  it("websocket_sigv4 and custom_auth take a CA file alone", () => {
    expect(load({ transport: "websocket_sigv4", tls: { ca_file: pki.caCert } })?.tls?.ca_file).toBe(pki.caCert);
    expect(load({ transport: "custom_auth", custom_auth: { authorizer_name: "a" }, tls: { ca_file: pki.caCert } })?.tls?.ca_file).toBe(pki.caCert);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["an unknown transport", { transport: "mqtts" }, /^connections\[0\]\.transport: .*"mtls"/],
    ["mtls_alpn without tls", { transport: "mtls_alpn" }, /^connections\[0\]\.tls: transport mtls_alpn needs tls\.cert_file and tls\.key_file/],
    ["mtls with a CA alone", { tls: { ca_file: "x.pem" } }, /^connections\[0\]\.tls\.cert_file: required with transport mtls/],
    [
      "mtls_alpn without key_file",
      { transport: "mtls_alpn", tls: { cert_file: "c.pem" } },
      /^connections\[0\]\.tls\.key_file: required with transport mtls_alpn/,
    ],
    [
      "websocket_sigv4 without a region",
      { transport: "websocket_sigv4", endpoint: "broker.example.com" },
      /^connections\[0\]\.region: required with transport websocket_sigv4 \(the endpoint 'broker\.example\.com' names no AWS region\)$/,
    ],
    ["a region that is none", { transport: "websocket_sigv4", region: "Ireland" }, /^connections\[0\]\.region: must be an AWS region name/],
    [
      "websocket_sigv4 with a client certificate",
      { transport: "websocket_sigv4", tls: { cert_file: "c.pem", key_file: "k.pem" } },
      /^connections\[0\]\.tls\.cert_file: not used by transport websocket_sigv4/,
    ],
    ["custom_auth without its settings", { transport: "custom_auth" }, /^connections\[0\]\.custom_auth: required with transport custom_auth/],
    [
      "custom_auth without an authorizer name",
      { transport: "custom_auth", custom_auth: { username: "u", password: "p" } },
      /^connections\[0\]\.custom_auth\.authorizer_name: required: the custom authorizer's name$/,
    ],
    [
      "a token without its signature",
      { transport: "custom_auth", custom_auth: { authorizer_name: "a", token_key_name: "k", token_value: "v" } },
      /^connections\[0\]\.custom_auth\.token_signature: required: a signed token needs/,
    ],
    [
      "custom_auth with a client key",
      { transport: "custom_auth", custom_auth: { authorizer_name: "a" }, tls: { key_file: "k.pem" } },
      /^connections\[0\]\.tls\.key_file: not used by transport custom_auth/,
    ],
    [
      "custom_auth settings without the transport",
      { custom_auth: { authorizer_name: "a" } },
      /^connections\[0\]\.custom_auth: only used by transport custom_auth \(this connection's transport is mtls\)$/,
    ],
    [
      "a region without websocket_sigv4",
      { region: "eu-west-1", tls: { cert_file: "c.pem", key_file: "k.pem" } },
      /^connections\[0\]\.region: only used by transport websocket_sigv4/,
    ],
    [
      "an unknown custom_auth key",
      { transport: "custom_auth", custom_auth: { authorizer_name: "a", pasword: "p" } },
      /^connections\[0\]\.custom_auth: unknown key 'pasword'$/,
    ],
  ])("%s: one line naming the setting", (_what, connection, expected) => {
    expect(refusal(connection)).toMatch(expected);
  });
});

describe("check-config validates transports", () => {
  const check = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return runMain(["check-config", file]);
  };

  it("a valid file of every transport: exit 0 (native contexts built as the clients will)", () => {
    const r = check(
      "transports.yml",
      [
        "connections:",
        `  - { endpoint: ${AWS}, client_id: a, transport: mtls_alpn, tls: { cert_file: ${pki.clientCert}, key_file: ${pki.clientKey}, ca_file: ${pki.caCert} } }`,
        `  - { endpoint: ${AWS}, client_id: b, transport: websocket_sigv4, tls: { ca_file: ${pki.caCert} } }`,
        `  - { endpoint: ${AWS}, client_id: c, transport: custom_auth, custom_auth: { authorizer_name: x, password: p } }`,
        `  - { endpoint: ${AWS}, client_id: d, transport: custom_auth, custom_auth: { authorizer_name: x, websocket: true } }`,
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/valid \(4 connections\)/);
    expect(r.code).toBe(0);
  });

  it.each([
    [
      "no-region.yml",
      "connections:\n  - { endpoint: broker.example, client_id: a, transport: websocket_sigv4 }\n",
      /^mqtt-diagnostics check-config: connections\[0\]\.region: required with transport websocket_sigv4/,
    ],
    [
      "no-authorizer.yml",
      "connections:\n  - { endpoint: broker.example, client_id: a, transport: custom_auth, custom_auth: { username: u } }\n",
      /^mqtt-diagnostics check-config: connections\[0\]\.custom_auth\.authorizer_name: required/,
    ],
  ])("%s: one line, exit 2", (name, text, expected) => {
    const r = check(name, text);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.code).toBe(2);
  });
});
