import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "../../src/service/start-service.js";
import { pollUntil } from "../helpers/poll.js";
import { testConnection } from "../helpers/service.js";

const dir = mkdtempSync(join(tmpdir(), "mde-jerr-"));
let service: RunningService | undefined;
afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a journal that cannot be written", () => {
  it("keeps the service serving, counts the errors and says so in /readyz", async () => {
    // A path whose parent is a regular file: every write fails (ENOTDIR), even for root.
    const blocker = join(dir, "not-a-dir");
    writeFileSync(blocker, "");
    service = await startService(
      {
        connections: [testConnection({ client_id: "jerr-1", port: 1 })],
        journal: { path: join(blocker, "journal.jsonl"), max_bytes: 1 << 20, retain_files: 1 },
        max_events_retained: 100,
      },
      { logger: pino({ level: "silent" }), listen: { host: "127.0.0.1", port: 0 }, startClients: false },
    );
    const c = service.registry.getOrCreate("jerr-1");
    c.recordConnectionSuccess();
    c.recordConnectionDrop();
    await service.journal.flush();
    const address = service.address;
    const errors = await pollUntil(async () => {
      const body = await (await fetch(`${address}/metrics`)).text();
      const m = /^mqtt_diagnostics_journal_write_errors_total (\d+)$/m.exec(body);
      return m && Number(m[1]) > 0 ? Number(m[1]) : undefined;
    }, "write errors in /metrics");
    expect(errors).toBeGreaterThan(0);
    const ready = await fetch(`${address}/readyz`);
    const body = (await ready.json()) as { checks: Record<string, string> };
    expect(body.checks["journal_writes"]).toMatch(/^(?:1 write error|(?!1 )\d+ write errors)$/);
    const doc = (await (await fetch(`${address}/diagnostics.json`)).json()) as { metrics: { total_connection_drops: number } };
    expect(doc.metrics.total_connection_drops).toBe(1);
  });
});
