import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { afterAll, describe, expect, it } from "vitest";
import { CollectorRegistry } from "../../src/collector/registry.js";
import { metricViews, registerInstruments } from "../../src/index.js";
import { createTelemetry, type Telemetry } from "../../src/metrics/telemetry.js";
import { pollUntil } from "../helpers/poll.js";

interface OtlpMetric {
  name: string;
  sum?: { dataPoints: { asInt?: string | number; asDouble?: number; attributes: { key: string; value: { stringValue?: string } }[] }[] };
  histogram?: { dataPoints: { explicitBounds: number[]; count: string | number; attributes: { key: string; value: { stringValue?: string } }[] }[] };
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
let provider: MeterProvider | undefined;
afterAll(async () => {
  await telemetry?.shutdown();
  await provider?.shutdown();
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
    const drops = await pollUntil(
      () => {
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
      },
      "an OTLP export with the drop counter",
      15_000,
    );
    expect(drops).toBe(1);
  });

  it("pushes with no HTTP server at all: the application's MeterProvider and an OTLP reader", async () => {
    const port = (receiver.address() as AddressInfo).port;
    const registry = new CollectorRegistry();
    provider = new MeterProvider({
      views: metricViews(1),
      readers: [
        new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `http://127.0.0.1:${port}/v1/metrics` }), exportIntervalMillis: 200 }),
      ],
    });
    registerInstruments(provider, registry);
    const c = registry.getOrCreate("push-only-1");
    c.recordConnectionSuccess();
    c.recordConnectionDrop();
    c.recordConnectionSuccess({ eventType: "resumed" });
    const bounds = await pollUntil(
      () => {
        for (const body of bodies) {
          for (const sm of body.resourceMetrics.flatMap((rm) => rm.scopeMetrics)) {
            const m = sm.metrics.find((x) => x.name === "mqtt_client_time_to_reconnect_seconds");
            const p = m?.histogram?.dataPoints.find((d) => d.attributes.some((a) => a.value.stringValue === "push-only-1"));
            if (p !== undefined && Number(p.count) === 1) return p.explicitBounds;
          }
        }
        return undefined;
      },
      "an OTLP export with the time-to-reconnect histogram",
      15_000,
    );
    expect(bounds[0]).toBe(0.05);
  });
});
