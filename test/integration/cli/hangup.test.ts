import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import { makeTestPki } from "../../helpers/certs.js";
import { freePort } from "../../helpers/free-port.js";
import { probe } from "../../helpers/https-probe.js";
import { pollUntil } from "../../helpers/poll.js";
import { spawnListening } from "../../helpers/spawn-listening.js";

const dir = mkdtempSync(join(tmpdir(), "mde-hup-"));
const pki = makeTestPki(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const webFile = join(dir, "web.yml");
const web = (users: Record<string, string>, extra = "") =>
  writeFileSync(
    webFile,
    `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\nbasic_auth_users:\n${Object.entries(users)
      .map(([u, p]) => `  ${u}: ${bcrypt.hashSync(p, 4)}\n`)
      .join("")}${extra}`,
  );

describe("SIGHUP", () => {
  it("reloads basic_auth_users without a restart, keeps the old config on a bad file, flushes the journal", async () => {
    web({ alice: "a-pass" });
    const journal = join(dir, "hup.jsonl");
    const config = join(dir, "hup.yml");
    // No broker: the connection keeps failing, and each failure is an event to journal.
    writeFileSync(
      config,
      `connections:\n  - { name: heater-1, endpoint: 127.0.0.1, port: ${await freePort()}, client_id: heater-1, reconnect: { min_delay_ms: 1000, max_delay_ms: 1000 } }\njournal: { path: ${journal} }\n`,
    );
    const service = await spawnListening(["--config", config, "--web.config.file", webFile]);
    const { child, port } = service;
    let exit: number | null | undefined;
    const exited = service.exited.then((code) => void (exit = code));
    const url = `https://127.0.0.1:${port}/metrics`;
    const status = async (auth: string) => (await probe(url, { ca: pki.caCert, auth })).status;
    try {
      await pollUntil(
        async () => ((await status("alice:a-pass")) === 200 ? true : undefined),
        () => `serving (output: ${service.output()})`,
      );
      expect(await status("bob:b-pass")).toBe(401);

      web({ bob: "b-pass" });
      child.kill("SIGHUP");
      await pollUntil(() => (service.output().includes("web config reloaded") ? true : undefined), "the reload");
      expect(exit).toBeUndefined();
      expect(await status("bob:b-pass")).toBe(200);
      expect(await status("alice:a-pass")).toBe(401);

      // What /metrics served before the SIGHUP is in the journal once the SIGHUP is handled.
      const served = await pollUntil(async () => {
        const body = (await probe(url, { ca: pki.caCert, auth: "bob:b-pass" })).body;
        const n = Number(/^mqtt_client_connection_failures_total\{[^}]*\} (\d+)/m.exec(body)?.[1] ?? "0");
        return n > 0 ? n : undefined;
      }, "a failed attempt served by /metrics");
      const before = service.output().length;
      child.kill("SIGHUP");
      await pollUntil(() => (service.output().slice(before).includes("web config reloaded") ? true : undefined), "the second reload");
      const failures = readFileSync(journal, "utf8")
        .split("\n")
        .filter((l) => l.includes('"kind":"connection_failure"')).length;
      expect(failures).toBeGreaterThanOrEqual(served);

      writeFileSync(webFile, "basic_auth_users:\n  carol: plaintext\n");
      const mark = service.output().length;
      child.kill("SIGHUP");
      await pollUntil(() => (service.output().slice(mark).includes("not reloaded") ? true : undefined), "the refusal");
      const refusal = service
        .output()
        .slice(mark)
        .split("\n")
        .filter((l) => l.includes("not reloaded"));
      expect(refusal).toHaveLength(1);
      expect(refusal[0]).toContain("basic_auth_users.carol: must be a bcrypt hash");
      expect(await status("bob:b-pass")).toBe(200);

      // An emptied file would turn authentication off: refused, and /metrics still wants credentials.
      writeFileSync(webFile, `tls_server_config:\n  cert_file: ${pki.serverCert}\n  key_file: ${pki.serverKey}\nbasic_auth_users: {}\n`);
      const emptied = service.output().length;
      child.kill("SIGHUP");
      await pollUntil(() => (service.output().slice(emptied).includes("not reloaded") ? true : undefined), "the refusal of an emptied user table");
      expect(service.output().slice(emptied)).toMatch(/basic_auth_users: the reloaded file has no users/);
      expect(await status("nobody:x")).toBe(401);
      expect((await probe(url, { ca: pki.caCert })).status).toBe(401);
      expect(await status("bob:b-pass")).toBe(200);
      expect(exit).toBeUndefined();
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
    expect(exit).toBe(0);
  }, 60_000);
});
