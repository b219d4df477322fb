import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import { PullReader } from "../../../src/metrics/pull-reader.js";
import { readerExposition } from "../../../src/metrics/reader-exposition.js";

let provider: MeterProvider | undefined;
afterEach(async () => provider?.shutdown());

describe("readerExposition", () => {
  it("is the Prometheus text of what the application's reader collects, collected at each call", async () => {
    const reader = new PullReader();
    provider = new MeterProvider({ readers: [reader] });
    const counter = provider.getMeter("app").createCounter("app_requests", { description: "Requests." });
    const exposition = readerExposition(reader);
    counter.add(1, { route: "/a" });
    const first = await exposition.exposition();
    expect(first.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(first.body.toString()).toBe('# HELP app_requests_total Requests.\n# TYPE app_requests_total counter\napp_requests_total{route="/a"} 1\n');
    counter.add(2, { route: "/a" });
    expect((await exposition.exposition()).body.toString()).toContain('app_requests_total{route="/a"} 3\n');
  });

  it("fails a collection that failed, rather than serving part of it", async () => {
    const exposition = readerExposition({
      collect: () => Promise.resolve({ resourceMetrics: { resource: {} as never, scopeMetrics: [] }, errors: [new Error("boom")] }),
    });
    await expect(exposition.exposition()).rejects.toThrow(/collection failed/);
  });
});
