import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionConfig } from "../../../src/config/schema.js";
import { buildMqtt311Connection, buildMqtt5Client, checkNativeTls } from "../../../src/mqtt/build-clients.js";
import { journalTransport, mqtt311Builder, mqtt5Builder } from "../../../src/mqtt/transport-builders.js";
import { makeTestPki, type TestPki } from "../../helpers/certs.js";
import { testConnection } from "../../helpers/service.js";

let dir: string;
let pki: TestPki;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mde-transport-builders-"));
  pki = makeTestPki(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("each transport is built by the SDK's own builder", () => {
  const base = () => testConnection({ client_id: "t-1", port: 443, tls: { ca_file: pki.caCert } });
  const custom = {
    authorizer_name: "fleet-auth",
    username: "dev",
    password: "pw",
    token_key_name: "tok",
    token_value: "v1",
    token_signature: "ab+c/d=",
    websocket: false,
  };

  it.each<[string, () => Partial<ConnectionConfig>]>([
    ["mtls_alpn", () => ({ transport: "mtls_alpn", tls: { cert_file: pki.clientCert, key_file: pki.clientKey, ca_file: pki.caCert } })],
    ["websocket_sigv4", () => ({ transport: "websocket_sigv4", region: "eu-west-1" })],
    ["custom_auth", () => ({ transport: "custom_auth", custom_auth: custom })],
    ["custom_auth over WebSocket", () => ({ transport: "custom_auth", custom_auth: { ...custom, websocket: true } })],
  ])("%s: MQTT 5 and 3.1.1 clients build", (_what, over) => {
    const c = { ...base(), ...over() };
    expect(() => checkNativeTls(c)).not.toThrow();
    buildMqtt5Client(c).close();
    buildMqtt311Connection({ ...c, protocol: "mqtt311" });
  });

  it("custom_auth: the username the SDK sends carries the authorizer, token and URL-encoded signature", () => {
    const sent = "dev?x-amz-customauthorizer-name=fleet-auth&tok=v1&x-amz-customauthorizer-signature=ab%2Bc%2Fd%3D";
    for (const websocket of [false, true]) {
      const c = { ...base(), transport: "custom_auth" as const, custom_auth: { ...custom, websocket } };
      expect(mqtt5Builder(c)?.build().connectProperties?.username).toBe(sent);
      // MQTT 3.1.1's builder puts the signature before the token.
      expect(mqtt311Builder(c)?.build().username).toBe("dev?x-amz-customauthorizer-name=fleet-auth&x-amz-customauthorizer-signature=ab%2Bc%2Fd%3D&tok=v1");
    }
  });

  it("the journal's transport: the configured one, `tcp` for plain TCP", () => {
    expect(journalTransport(testConnection({ client_id: "p", port: 1883 }))).toBe("tcp");
    expect(journalTransport(testConnection({ client_id: "p", port: 8883, tls: { cert_file: "c", key_file: "k" } }))).toBe("mtls");
    expect(journalTransport({ ...base(), transport: "websocket_sigv4" })).toBe("websocket_sigv4");
  });
});
