import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import type { ConnectionConfig } from "../../../src/config/schema.js";
import { buildMqtt311Connection, buildMqtt5Client, checkNativeTls } from "../../../src/mqtt/build-clients.js";
import { makeTestPki, type TestPki } from "../../helpers/certs.js";
import { testConnection } from "../../helpers/service.js";

let dir: string;
let pki: TestPki;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mde-build-clients-"));
  pki = makeTestPki(dir);
  mkdirSync(join(dir, "a-directory"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The files bypass the config's own checks here (a library user, or a file changed after load):
// aws-crt's native errors must still come out as one line naming the files.
describe("building clients translates aws-crt's native TLS errors", () => {
  const cases: [string, () => ConnectionConfig["tls"], RegExp][] = [
    ["a directory", () => ({ cert_file: join(dir, "a-directory"), key_file: pki.clientKey }), /AWS_ERROR_FILE_INVALID_PATH/],
    ["a key that does not match", () => ({ cert_file: pki.clientCert, key_file: pki.rogueClientKey }), /AWS_IO_TLS_CTX_ERROR/],
    [
      "a CA file that is not PEM",
      () => ({ cert_file: pki.clientCert, key_file: pki.clientKey, ca_file: pki.serverKey }),
      /AWS_IO_TLS_CTX_ERROR|AWS_ERROR_INVALID_ARGUMENT/,
    ],
  ];
  it.each(cases)("%s", (_what, tls, code) => {
    const c = testConnection({ client_id: "dev-1", port: 8883, tls: tls() });
    for (const build of [
      () => checkNativeTls(c, "connections[3].tls"),
      () => buildMqtt5Client(c),
      () => buildMqtt311Connection({ ...c, protocol: "mqtt311" }),
    ]) {
      let error: unknown;
      try {
        build();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(code);
      expect(message).toMatch(/^(connections\[3\]\.tls|connection 'dev-1' tls): aws-crt cannot load cert_file '/);
      expect(message).not.toContain("\n");
    }
  });

  it("a valid set builds", () => {
    const c = testConnection({ client_id: "dev-2", port: 8883, tls: { cert_file: pki.clientCert, key_file: pki.clientKey, ca_file: pki.caCert } });
    expect(() => checkNativeTls(c)).not.toThrow();
    buildMqtt5Client(c).close();
  });
});
