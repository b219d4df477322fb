import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkNativeTlsContexts } from "../../../src/cli/native-tls-check.js";
import { ConfigError } from "../../../src/config/errors.js";
import { validateConfig } from "../../../src/config/load.js";
import { makeTestPki, type TestPki } from "../../helpers/certs.js";

let dir: string;
let pki: TestPki;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mde-native-tls-"));
  pki = makeTestPki(dir);
  // OpenSSL (and so node:crypto) takes an Ed25519 pair; aws-crt does not.
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ed25519", "-nodes", "-days", "2", "-subj", "/CN=ed", "-keyout", join(dir, "ed.key"), "-out", join(dir, "ed.crt")],
    { stdio: "ignore" },
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("checkNativeTlsContexts", () => {
  it("names the first connection whose files aws-crt refuses, after the node checks passed", async () => {
    const good = { cert_file: pki.clientCert, key_file: pki.clientKey, ca_file: pki.caCert };
    const { config } = validateConfig({
      connections: [
        { endpoint: "h", client_id: "a", tls: good },
        { endpoint: "h", client_id: "b", tls: good },
        { endpoint: "h", client_id: "c" },
        { endpoint: "h", client_id: "d", tls: { cert_file: join(dir, "ed.crt"), key_file: join(dir, "ed.key") } },
      ],
    });
    const check = checkNativeTlsContexts(config);
    await expect(check).rejects.toThrow(ConfigError);
    await expect(checkNativeTlsContexts(config)).rejects.toThrow(
      /^connections\[3\]\.tls: aws-crt cannot load cert_file '.*ed\.crt', key_file '.*ed\.key': AWS_IO_TLS_CTX_ERROR/,
    );
  });

  it("accepts plain connections and valid sets", async () => {
    const { config } = validateConfig({
      connections: [
        { endpoint: "h", client_id: "a" },
        { endpoint: "h", client_id: "b", tls: { cert_file: pki.clientCert, key_file: pki.clientKey } },
      ],
    });
    await expect(checkNativeTlsContexts(config)).resolves.toBeUndefined();
  });
});
