import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { loadWebConfig } from "../../src/http/web-config/load-web-config.js";
import { startTestApp, type TestApp } from "./app.js";
import { makeTestPki, type TestPki } from "./certs.js";
import { probe, type ProbeOptions } from "./https-probe.js";

/**
 * One documented option of exporter-toolkit's docs/web-configuration.md: a file that must start
 * and serve, and what real TLS clients get from it.
 */
export interface WebConfigRow {
  option: string;
  yaml: () => string;
  /** Requests and the status each must get (undefined: the handshake must fail). */
  expect: [ProbeOptions, number | undefined][];
}

/** `tls_server_config` with the test PKI's server certificate and key, as files. */
export const tlsFiles = (pki: TestPki) => `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\n`;
/** A PEM text indented as a YAML block scalar under a key of `tls_server_config`. */
export const indentPem = (pem: string) =>
  pem
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");

/** Clients by what they present: only the CA, a trusted certificate, or one from another CA. */
export function clients(pki: TestPki) {
  return {
    trusted: (): ProbeOptions => ({ ca: pki.caCert }),
    client: (): ProbeOptions => ({ ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey }),
    rogue: (): ProbeOptions => ({ ca: pki.caCert, cert: pki.rogueClientCert, key: pki.rogueClientKey }),
  };
}

/** Web config files written to `dir`, each loaded as `--web.config.file` is and served on port 0. */
export class WebConfigServers {
  private readonly apps: TestApp[] = [];

  constructor(private readonly dir: string) {}

  /** The base URL of the app serving this web config. */
  async serve(yaml: string): Promise<string> {
    const file = join(this.dir, `web-${this.apps.length}.yml`);
    writeFileSync(file, yaml);
    const web = await loadWebConfig(file);
    const t = await startTestApp(["heater-1"], web.appDeps);
    this.apps.push(t);
    return t.app.listen({ port: 0, host: "127.0.0.1" });
  }

  /** Serves the row's file and checks each of its requests on /metrics. */
  async check(row: WebConfigRow): Promise<void> {
    const url = `${await this.serve(row.yaml())}/metrics`;
    if (row.expect.length === 0) {
      expect((await fetch(url)).status).toBe(200);
      return;
    }
    for (const [options, status] of row.expect) {
      if (status === undefined) await expect(probe(url, options)).rejects.toThrow();
      else expect({ options, status: (await probe(url, options)).status }).toEqual({ options, status });
    }
  }

  async close(): Promise<void> {
    for (const a of this.apps.splice(0)) await a.close();
  }
}

/**
 * A test file's fixture, made at collection time (the tables' rows name its files): a folder, a
 * test PKI in it, the servers, the clients; all closed and removed after the file's tests.
 */
export function webConfigFixture(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const pki = makeTestPki(dir);
  const servers = new WebConfigServers(dir);
  afterAll(async () => {
    await servers.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, pki, servers, ...clients(pki), files: () => tlsFiles(pki) };
}
