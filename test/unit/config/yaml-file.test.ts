import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { validateConfig } from "../../../src/config/load.js";
import { MAX_CONNECTIONS } from "../../../src/config/schema.js";
import { runMain } from "../../helpers/cli.js";

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "mde-config-bounds-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function connections(n: number, style: "block" | "flow"): string {
  const items = Array.from({ length: n }, (_, i) => `{ endpoint: h, client_id: dev-${i} }`);
  return style === "block" ? `connections:\n${items.map((c) => `  - ${c}\n`).join("")}` : `connections: [${items.join(", ")}]\n`;
}

function check(name: string, text: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  return runMain(["check-config", file]);
}

describe("a configuration is bounded before it is parsed", () => {
  it("a file of tens of megabytes is refused without being read", () => {
    const r = check("huge.yml", `connections:\n${"  - { endpoint: h, client_id: dev }\n".repeat(900_000)}`);
    expect(r.stderr).toMatch(/^mqtt-diagnostics check-config: --config: '.*huge\.yml' is larger than 1048576 bytes/);
    expect(r.code).toBe(2);
  });

  it.each(["block", "flow"] as const)("%s style: more than 1000 connections are refused before the YAML parse", (style) => {
    const r = check(`many-${style}.yml`, connections(20_000, style));
    expect(r.stderr).toMatch(/^mqtt-diagnostics check-config: connections: too many \(more than 1000\); at most 1000/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.code).toBe(2);
  });

  it(`exactly ${MAX_CONNECTIONS} connections are valid`, () => {
    const r = check("max.yml", connections(MAX_CONNECTIONS, "block"));
    expect(r.stdout).toMatch(/valid \(1000 connections\)/);
    expect(r.code).toBe(0);
  });

  it("validateConfig refuses a long list before validating its items", () => {
    const many = Array.from({ length: 50_000 }, () => ({ endpoint: 5 }));
    expect(() => validateConfig({ connections: many }, dir)).toThrow(ConfigError);
    expect(() => validateConfig({ connections: many }, dir)).toThrow(/^connections: too many \(50000\); at most 1000/);
  });

  it("a directory given as --config is one line", () => {
    const r = runMain(["check-config", dir]);
    expect(r.stderr).toMatch(/--config: '.*' is a directory, not a YAML file/);
    expect(r.code).toBe(2);
  });
});

describe("two connections with the same client ID on the same endpoint", () => {
  const body =
    "connections:\n  - { name: a, endpoint: Broker.example, client_id: dev-1 }\n  - { name: b, endpoint: broker.example, client_id: dev-1 }\n  - { name: c, endpoint: other.example, client_id: dev-1 }\n";
  it("check-config warns (they would knock each other off) and stays valid", () => {
    const r = check("dup.yml", body);
    expect(r.stderr.trim().split("\n")).toEqual([
      "warning: connections[1].client_id: 'dev-1' on 'broker.example' is also connections[0]'s; the broker allows one connection per client ID, so the two will keep knocking each other off",
    ]);
    expect(r.code).toBe(0);
  });
});
