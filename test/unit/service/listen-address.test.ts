import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { parseListenAddress } from "../../../src/service/listen-address.js";
import { runMain } from "../../helpers/cli.js";

let dir: string;
let config: string;
let busy: Server;
let busyPort: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mde-listen-"));
  mkdirSync(join(dir, "a-directory"));
  writeFileSync(join(dir, "not-a-dir"), "x");
  config = join(dir, "plain.yml");
  writeFileSync(config, `connections:\n  - { endpoint: 127.0.0.1, port: 1, client_id: c }\njournal: { path: ${join(dir, "j.jsonl")} }\n`);
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("parseListenAddress", () => {
  it.each([
    ["300.1.1.1:9883", /'300\.1\.1\.1' is not an IPv4 address/],
    ["1.2.3:9883", /'1\.2\.3' is not an IPv4 address/],
    ["[::1x]:9883", /'::1x' in brackets is not an IPv6 address/],
    ["[10.0.0.1]:9883", /in brackets is not an IPv6 address/],
    [":70000", /must be HOST:PORT/],
  ])("%s is refused", (value, message) => {
    expect(() => parseListenAddress(value)).toThrow(UsageError);
    expect(() => parseListenAddress(value)).toThrow(message);
  });
  it.each([
    [":9883", { host: "::", port: 9883 }],
    ["127.0.0.1:0", { host: "127.0.0.1", port: 0 }],
    ["[::1]:9883", { host: "::1", port: 9883 }],
    ["localhost:9883", { host: "localhost", port: 9883 }],
  ])("%s is accepted", (value, expected) => {
    expect(parseListenAddress(value)).toEqual(expected);
  });
});

describe("serve refuses what it cannot listen on or write to: one line, exit 2, nothing started", () => {
  const cases: [string, () => string[], RegExp][] = [
    ["an invalid IPv4 address", () => ["--web.listen-address", "300.1.1.1:9883"], /--web\.listen-address: '300\.1\.1\.1' is not an IPv4 address/],
    [
      "an address not on this host",
      () => ["--web.listen-address", "192.0.2.1:0"],
      /--web\.listen-address: cannot listen on 192\.0\.2\.1:0: the address is not one of this host's \(EADDRNOTAVAIL\)/,
    ],
    [
      "a host name that does not resolve",
      () => ["--web.listen-address", "no-such-host.invalid:0"],
      /--web\.listen-address: cannot listen on no-such-host\.invalid:0: the host name does not resolve/,
    ],
    [
      "a port in use",
      () => ["--web.listen-address", `127.0.0.1:${busyPort}`],
      /--web\.listen-address: cannot listen on 127\.0\.0\.1:\d+: the port is in use \(EADDRINUSE\)/,
    ],
    [
      "--otlp.endpoint that is not http(s)",
      () => ["--web.listen-address", "127.0.0.1:0", "--otlp.endpoint", "ftp://collector:4318"],
      /--otlp\.endpoint: 'ftp:\/\/collector:4318' is not an http:\/\/ or https:\/\/ URL/,
    ],
    [
      "--journal.path that is a directory",
      () => ["--web.listen-address", "127.0.0.1:0", "--journal.path", join(dir, "a-directory")],
      /--journal\.path: '.*a-directory' is a directory; name a file in it/,
    ],
    [
      "--journal.path under a file",
      () => ["--web.listen-address", "127.0.0.1:0", "--journal.path", join(dir, "not-a-dir", "j.jsonl")],
      /--journal\.path: '.*not-a-dir' is not a directory/,
    ],
  ];
  it.each(cases)("%s", (_what, args, message) => {
    const r = runMain(["--config", config, "--log.level", "warn", ...args()]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(2);
  });

  it("journal.path in the config that is a directory: check-config and serve refuse it", () => {
    const file = join(dir, "journal-dir.yml");
    writeFileSync(file, "connections:\n  - { endpoint: 127.0.0.1, client_id: c }\njournal: { path: a-directory }\n");
    for (const args of [
      ["check-config", file],
      ["--config", file, "--web.listen-address", "127.0.0.1:0"],
    ]) {
      const r = runMain(args);
      expect(r.stderr).toMatch(/journal\.path: '.*a-directory' is a directory/);
      expect(r.code).toBe(2);
    }
  });
});
