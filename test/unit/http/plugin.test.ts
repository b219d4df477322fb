import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { CollectorRegistry, mqttDiagnostics } from "../../../src/index.js";

const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" };
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe("the HTTP side as a Fastify plugin in an application's own app", () => {
  it("app.register(mqttDiagnostics, { registry }) serves our routes beside the app's own", async () => {
    const app = Fastify({ logger: false });
    closers.push(() => app.close());
    app.get("/orders", () => ({ orders: 3 }));
    const registry = new CollectorRegistry();
    await app.register(mqttDiagnostics, { registry });
    const c = registry.getOrCreate("heater-1");
    c.recordConnectionSuccess();
    c.recordConnectionDrop({ error: hangup });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });

    expect(await (await fetch(`${base}/orders`)).json()).toEqual({ orders: 3 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^mqtt_client_connection_drops_total\{connection="heater-1",error_name="AWS_ERROR_MQTT_UNEXPECTED_HANGUP"\} 1$/m);
    const diagnostics = (await (await fetch(`${base}/diagnostics.json?connection=heater-1`)).json()) as { metrics: Record<string, number> };
    expect(diagnostics.metrics["total_connection_drops"]).toBe(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/`)).headers.get("content-type")).toMatch(/text\/html/);
  });

  it("starts no timer that holds the process, and closes what it made with the app", async () => {
    const app = Fastify({ logger: false });
    await app.register(mqttDiagnostics, { registry: new CollectorRegistry() });
    await app.ready();
    const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    await app.close();
    const after = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    expect(after).toBeLessThanOrEqual(before);
  });
});
