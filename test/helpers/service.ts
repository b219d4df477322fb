import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import type { Config, ConnectionConfig } from "../../src/config/schema.js";
import { startService, type RunningService } from "../../src/service/start-service.js";

/** A connection for tests: short keep-alive and backoff so faults show within seconds. */
export function testConnection(overrides: Partial<ConnectionConfig> & Pick<ConnectionConfig, "port" | "client_id">): ConnectionConfig {
  return {
    name: overrides.client_id,
    endpoint: "127.0.0.1",
    protocol: "mqtt5",
    transport: "mtls",
    keep_alive_seconds: 2,
    ping_timeout_ms: 1000,
    reconnect: { min_delay_ms: 200, max_delay_ms: 1000, jitter: "none" },
    ...overrides,
  };
}

export interface TestService extends RunningService {
  journalPath: string;
  metrics(): Promise<string>;
  /** One series' value from /metrics (undefined when absent). */
  value(series: string): Promise<number | undefined>;
  diagnostics(connection?: string): Promise<Record<string, unknown> & { metrics: Record<string, number> }>;
  journalLines(): Promise<Record<string, unknown>[]>;
}

export async function startTestService(dir: string, connections: ConnectionConfig[]): Promise<TestService> {
  const journalPath = join(dir, `journal-${connections[0]?.client_id ?? "x"}.jsonl`);
  const config: Config = { connections, journal: { path: journalPath, max_bytes: 1 << 20, retain_files: 2 }, max_events_retained: 1000 };
  const service = await startService(config, { logger: pino({ level: "silent" }), listen: { host: "127.0.0.1", port: 0 } });
  const metrics = async () => (await fetch(`${service.address}/metrics`)).text();
  return {
    ...service,
    journalPath,
    metrics,
    async value(series) {
      const line = (await metrics()).split("\n").find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    },
    async diagnostics(connection) {
      const q = connection === undefined ? "" : `?connection=${encodeURIComponent(connection)}`;
      return (await (await fetch(`${service.address}/diagnostics.json${q}`)).json()) as Record<string, unknown> & { metrics: Record<string, number> };
    },
    async journalLines() {
      await service.journal.flush();
      return readFileSync(journalPath, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
}
