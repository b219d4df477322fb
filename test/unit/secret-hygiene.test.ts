import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { MAX_ERROR_MESSAGE_LENGTH } from "../../src/collector/error-info.js";
import { JournalWriter } from "../../src/journal/writer.js";

const KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----";
const CERT = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----";

describe("nothing secret reaches the export or the journal", () => {
  it("redacts PEM blocks and bounds message length", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mde-secret-"));
    try {
      const registry = new CollectorRegistry({
        clock: new ManualClock(Date.parse("2026-03-01T00:00:00Z")),
        logger: { warn: () => undefined, error: () => undefined },
      });
      const writer = new JournalWriter({ path: join(dir, "j.jsonl"), logger: { warn: () => undefined, error: () => undefined } });
      writer.attach(registry);
      const c = registry.getOrCreate("secret-1");
      c.recordConnectionDrop({ error: { error_name: "AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE", error_code: 1029, message: `bad key ${KEY} and cert ${CERT}` } });
      c.recordConnectionFailure({ error: new Error(`loading ${KEY.slice(0, 60)}`) });
      c.recordConnectionDrop({ error: new Error("x".repeat(10_000)) });
      await writer.close();
      const exported = JSON.stringify(c.export());
      const journal = readFileSync(join(dir, "j.jsonl"), "utf8");
      for (const text of [exported, journal]) {
        expect(text).not.toMatch(/BEGIN (PRIVATE KEY|CERTIFICATE)|MIGHAgEA|MIIBszCC/);
        expect(text).toContain("[PEM redacted]");
      }
      for (const d of c.getRecentDrops()) expect((d.error_message ?? "").length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
