import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { makeTestPki, type TestPki } from "./certs.js";
import { Mosquitto } from "./mosquitto.js";

export interface MosquittoSuite {
  /** The file's temporary folder (the test PKI, logs, journals). */
  readonly dir: string;
  readonly pki: TestPki;
  readonly broker: Mosquitto;
  /** Runs after the current test, before the next one (last registered first). */
  cleanup(c: () => Promise<unknown> | void): void;
}

/**
 * A test file's Mosquitto with a test PKI in a temporary folder, started once for the file, and
 * what each test leaves running stopped after it. Call at a test file's top level (it registers
 * the file's hooks).
 */
export function mosquittoSuite(name: string): MosquittoSuite {
  let dir: string;
  let pki: TestPki;
  let broker: Mosquitto | undefined;
  const cleanups: (() => Promise<unknown> | void)[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `mde-${name}-`));
    pki = makeTestPki(dir);
    broker = await Mosquitto.start(pki);
  }, 60_000);

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
  });

  afterAll(async () => {
    // undefined when it never started: beforeAll's own error is the one to read.
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    get dir() {
      return dir;
    },
    get pki() {
      return pki;
    },
    get broker() {
      if (broker === undefined) throw new Error("the file's Mosquitto did not start (see beforeAll's error)");
      return broker;
    },
    cleanup: (c) => void cleanups.push(c),
  };
}
