import { existsSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Config } from "../../../src/config/schema.js";
import { shipperStatePath } from "../../../src/service/shippers.js";
import { startService, type RunningService } from "../../../src/service/start-service.js";
import { EvidenceInbox } from "../../helpers/evidence-inbox.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { pollUntil } from "../../helpers/poll.js";
import { testConnection } from "../../helpers/service.js";

const m = mosquittoSuite("shippers");

async function start(c: Config): Promise<RunningService> {
  const s = await startService(c, { logger: pino({ level: "silent" }), listen: { host: "127.0.0.1", port: 0 } });
  m.cleanup(() => s.close());
  return s;
}

describe("the service ships the evidence of connections with an `evidence` section", () => {
  it("over each one's own client; a restart continues the seq from the state beside the journal", async () => {
    const box = await EvidenceInbox.open(m.broker.plainPort, "$aws/rules/evidence/#");
    m.cleanup(() => box.close());
    const evidence = { topic: "$aws/rules/evidence/${clientId}", publishes_per_second: 20, burst: 5, max_backlog_events: 1000, max_backlog_bytes: 1 << 20 };
    const c: Config = {
      connections: [
        testConnection({ client_id: "ship-svc", port: m.broker.plainPort, evidence }),
        testConnection({ client_id: "quiet-svc", port: m.broker.plainPort }),
      ],
      journal: { path: join(m.dir, "svc.jsonl"), max_bytes: 1 << 20, retain_files: 2 },
      max_events_retained: 100,
    };
    const first = await start(c);
    await pollUntil(() => (box.bySeq().get(2)?.line.kind === "connection_success" ? true : undefined), "the first connection shipped");
    await first.close();
    expect(existsSync(shipperStatePath(c.journal.path, "ship-svc"))).toBe(true);
    const second = await start(c);
    // The second life ships the first's stop and its own connection, numbered after the first's.
    await pollUntil(
      () => ([...box.bySeq().values()].filter((e) => e.line.kind === "connection_success").length === 2 ? true : undefined),
      "the second connection shipped",
    );
    await second.close();
    const events = box.bySeq();
    expect([...events.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: events.size }, (_, i) => i + 1));
    expect(box.messages.every((r) => r.message.client_id === "ship-svc" && r.topic === "$aws/rules/evidence/ship-svc")).toBe(true);
    expect([...events.values()].map((e) => e.line.kind)).toContain("connection_stopped");
  });
});
