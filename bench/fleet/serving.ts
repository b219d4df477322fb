/**
 * bench:fleet, what a replica serves at its fleet's size: its fleet series (the instruments the
 * service registers, collected and rendered as Prometheus text, the service's serializer) and a
 * device's detail (`/fleet/devices/{clientId}`: export document + diagnosis, as JSON). CPU time.
 */
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { deviceDetail } from "../../src/fleet/device-view.js";
import { fleetInstruments } from "../../src/fleet/fleet-instruments.js";
import type { FleetState } from "../../src/fleet/fleet-state.js";
import { PullReader } from "../../src/metrics/pull-reader.js";
import { serializePrometheus } from "../../src/metrics/serializer.js";
import { cpuSince } from "./in-process.js";

export interface MetricsFigures {
  series: number;
  bytes: number;
  /** CPU milliseconds of one collection + rendering: median and slowest of `rounds`. */
  renderMs: number;
  renderMaxMs: number;
  text: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function metricsFigures(state: FleetState, topK = 5, rounds = 7): Promise<MetricsFigures> {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  const instruments = fleetInstruments(provider.getMeter("mqtt_diagnostics.fleet"), topK);
  instruments.attach(state, () => 0);
  const times: number[] = [];
  let text = "";
  for (let i = 0; i < rounds; i++) {
    const cpu = process.cpuUsage();
    const { resourceMetrics } = await reader.collect();
    text = serializePrometheus(resourceMetrics);
    times.push(cpuSince(cpu) * 1000);
  }
  instruments.detach();
  await provider.shutdown();
  const series = text.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length;
  return { series, bytes: Buffer.byteLength(text), renderMs: median(times), renderMaxMs: Math.max(...times), text };
}

export interface DetailFigures {
  devices: number;
  /** CPU milliseconds of one device's detail, built and serialized: median, 99th percentile, slowest. */
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

/** The detail of `samples` devices spread over the fleet, each timed on its own. */
export function detailFigures(state: FleetState, now: number, samples = 1000): DetailFigures {
  const every = Math.max(1, Math.floor(state.size / samples));
  const times: number[] = [];
  let i = 0;
  for (const { device } of state.devices()) {
    if (i++ % every !== 0) continue;
    const cpu = process.cpuUsage();
    JSON.stringify(deviceDetail(device, now, 100));
    times.push(cpuSince(cpu) * 1000);
  }
  times.sort((a, b) => a - b);
  return { devices: times.length, medianMs: median(times), p99Ms: times[Math.floor(times.length * 0.99)] ?? NaN, maxMs: times[times.length - 1] ?? NaN };
}
