import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { restoreJournal } from "../../src/journal/restore.js";
import { JournalWriter } from "../../src/journal/writer.js";
import { createTelemetry } from "../../src/metrics/telemetry.js";

const dir = mkdtempSync(join(tmpdir(), "mde-restore-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const silent = { warn: () => undefined, error: () => undefined };
const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" };

describe("a restart restores the exposition", () => {
  it("counters continue and histograms are rebuilt from the journal", async () => {
    const path = join(dir, "journal.jsonl");
    const clock = new ManualClock(Date.parse("2026-03-01T00:00:00Z"));
    const before = new CollectorRegistry({ clock, logger: silent });
    const t1 = createTelemetry({ registry: before, cacheMaxAgeMs: 0 });
    const writer = new JournalWriter({ path, logger: silent, clock });
    writer.attach(before);
    const c = before.getOrCreate("heater-1");
    for (let i = 0; i < 30; i++) {
      c.recordConnectionSuccess({ eventType: i === 0 ? "connected" : "resumed" });
      clock.advance(60_000 * (1 + (i % 7)));
      c.recordConnectionDrop({ error: hangup, disconnectReasonCode: i % 5 === 0 ? 0x8e : null });
      c.recordPublish(i % 2 === 0);
      clock.advance(1_500);
    }
    c.recordConnectionStopped("process_restart");
    await writer.close();
    const live = (await t1.render()).body;

    const after = new CollectorRegistry({ clock, logger: silent });
    const t2 = createTelemetry({ registry: after, cacheMaxAgeMs: 0 });
    await restoreJournal(path, after, { logger: silent });
    const restored = (await t2.render()).body;
    expect(restored).toBe(live);
    expect(restored).toMatch(/mqtt_client_session_duration_seconds_count\{connection="heater-1"\} 30/);
    await t1.shutdown();
    await t2.shutdown();
  });
});
