import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { createTelemetry, type Telemetry } from "../../src/metrics/telemetry.js";
import { pollUntil } from "../helpers/poll.js";

interface OtlpMetric {
  name: string;
  sum?: { dataPoints: { asInt?: string | number; asDouble?: number; attributes: { key: string; value: { stringValue?: string } }[] }[] };
}
interface OtlpBody {
  resourceMetrics: { scopeMetrics: { metrics: OtlpMetric[] }[] }[];
}

const bodies: OtlpBody[] = [];
const receiver = createServer((req: IncomingMessage, res) => {
  let data = "";
  req.on("data", (c: Buffer) => (data += c.toString()));
  req.on("end", () => {
    if (req.url === "/v1/metrics" && (req.headers["content-type"] ?? "").includes("json")) bodies.push(JSON.parse(data) as OtlpBody);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
let telemetry: Telemetry | undefined;
afterAll(async () => {
  await telemetry?.shutdown();
  await new Promise((r) => receiver.close(r));
});

describe("OTLP/HTTP push", () => {
  it("pushes the same instruments to a collector endpoint", async () => {
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
    const port = (receiver.address() as AddressInfo).port;
    const registry = new CollectorRegistry();
    telemetry = createTelemetry({ registry, otlp: { endpoint: `http://127.0.0.1:${port}/v1/metrics`, intervalMs: 200 } });
    const c = registry.getOrCreate("pushed-1");
    c.recordConnectionSuccess();
    c.recordConnectionDrop({ error: { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" } });
    const drops = await pollUntil(() => {
      for (const body of bodies) {
        for (const rm of body.resourceMetrics) {
          for (const sm of rm.scopeMetrics) {
            const m = sm.metrics.find((x) => x.name === "mqtt_client_connection_drops");
            const p = m?.sum?.dataPoints.find((d) => d.attributes.some((a) => a.value.stringValue === "AWS_ERROR_MQTT_UNEXPECTED_HANGUP"));
            if (p) return Number(p.asInt ?? p.asDouble);
          }
        }
      }
      return undefined;
    }, "an OTLP export with the drop counter", 15_000);
    expect(drops).toBe(1);
  });
});
