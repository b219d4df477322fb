import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { MAX_CONNECTIONS } from "../../../src/config/schema.js";
import { MAX_LABEL_VALUES } from "../../../src/metrics/label-cap.js";
import { createTelemetry, type Telemetry } from "../../../src/metrics/telemetry.js";
import { promtool } from "../../helpers/prometheus.js";

const silent = { warn: () => undefined, error: () => undefined };
let telemetry: Telemetry | undefined;
afterAll(async () => telemetry?.shutdown());

describe("the exposition at the most connections the configuration allows", () => {
  it("keeps every series, emits no OpenTelemetry overflow label and passes promtool", async () => {
    const registry = new CollectorRegistry({ logger: silent, maxEventsRetained: 1 });
    telemetry = createTelemetry({ registry, maxConnections: MAX_CONNECTIONS, cacheMaxAgeMs: 0 });
    // Every connection at its widest: more error names than the label cap keeps.
    for (let i = 0; i < MAX_CONNECTIONS; i++) {
      const c = registry.getOrCreate(`device-${i}`);
      for (let e = 0; e <= MAX_LABEL_VALUES; e++) c.recordConnectionDrop({ error: { error_name: `AWS_ERROR_SYNTHETIC_${e}`, error_code: e, message: "m" } });
    }
    const { body } = await telemetry.render();
    expect(body).not.toContain("otel");
    const drops = body.split("\n").filter((l) => l.startsWith("mqtt_client_connection_drops_total{"));
    expect(drops).toHaveLength(MAX_CONNECTIONS * MAX_LABEL_VALUES);
    expect(body.split("\n").filter((l) => l.startsWith("mqtt_client_connections_total{"))).toHaveLength(MAX_CONNECTIONS * 3);
    const r = spawnSync(promtool(), ["check", "metrics"], { input: body, encoding: "utf8", maxBuffer: 1 << 28 });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 120_000);
});
