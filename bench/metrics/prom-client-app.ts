/**
 * The anchor as prom-client's users write it: the application's own event handlers increment
 * counters, set gauges and observe durations when an event happens, and `/metrics` renders the
 * registry. Only what is not known before a scrape (session uptime) is computed in a `collect`
 * callback. Same series as ours, name for name and label for label (the bench checks it before it
 * measures); HELP texts differ.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { LIFECYCLE_EVENT_TYPES } from "../../src/aws-join/events.js";
import { PROBE_RTT_BUCKETS, SESSION_DURATION_BUCKETS, TIME_TO_RECONNECT_BUCKETS } from "../../src/metrics/buckets.js";
import { EVENT_TYPES, NAMES } from "../../src/metrics/instruments.js";
import { awsCrtVersion, packageVersion, sdkVersion } from "../../src/version.js";

export interface PromClientApp {
  reg: Registry;
  /** Bumped by every event: the cache policy's "anything changed". */
  readonly version: number;
  attempt(i: number): void;
  success(i: number, now: number, type?: (typeof EVENT_TYPES)[number]): void;
  drop(i: number, now: number, errorName: string): void;
}

interface Conn {
  labels: { connection: string };
  connectedAt: number | undefined;
  droppedAt: number | undefined;
}

export function promClientApp(names: readonly string[], now: () => number = Date.now): PromClientApp {
  const reg = new Registry();
  const counter = (name: string, extra: string[] = []) =>
    new Counter({ name: `${name}_total`, help: name, labelNames: ["connection", ...extra], registers: [reg] });
  const gauge = (name: string) => new Gauge({ name, help: name, labelNames: ["connection"], registers: [reg] });
  const histogram = (name: string, buckets: readonly number[]) =>
    new Histogram({ name, help: name, labelNames: ["connection"], buckets: [...buckets], registers: [reg] });
  const connections = counter(NAMES.connections, ["event_type"]);
  const drops = counter(NAMES.drops, ["error_name"]);
  counter(NAMES.failures, ["error_name"]);
  counter(NAMES.serverDisconnects, ["reason"]);
  counter(NAMES.serverDisconnectReasons, ["reason"]);
  const zeroed = [NAMES.foreignSessions, NAMES.reconnectAttempts, NAMES.published, NAMES.queued, NAMES.probeTimeouts].map((n) => counter(n));
  const lifecycle = counter(NAMES.lifecycleEvents, ["event_type"]);
  const attempts = counter(NAMES.attempts);
  const reconnects = zeroed[1] as Counter;
  const connected = gauge(NAMES.connected);
  const lastDrop = gauge(NAMES.lastDrop);
  const fixedGauges = [NAMES.keepAlive, NAMES.queuedOps, NAMES.unackedOps].map(gauge);
  const session = histogram(NAMES.sessionDuration, SESSION_DURATION_BUCKETS);
  const ttr = histogram(NAMES.timeToReconnect, TIME_TO_RECONNECT_BUCKETS);
  const rtt = histogram(NAMES.probeRtt, PROBE_RTT_BUCKETS);
  new Gauge({ name: NAMES.buildInfo, help: "build", labelNames: ["version", "node_version", "aws_crt_version", "sdk_version"], registers: [reg] }).set(
    { version: packageVersion, node_version: process.version, aws_crt_version: awsCrtVersion, sdk_version: sdkVersion },
    1,
  );
  const conns: Conn[] = names.map((connection) => ({ labels: { connection }, connectedAt: undefined, droppedAt: undefined }));
  new Gauge({
    name: NAMES.uptime,
    help: NAMES.uptime,
    labelNames: ["connection"],
    registers: [reg],
    collect() {
      const t = now();
      for (const c of conns) this.set(c.labels, c.connectedAt === undefined ? 0 : (t - c.connectedAt) / 1000);
    },
  });
  // A user declares the series up front (so that increase() sees the first event).
  for (const c of conns) {
    for (const type of EVENT_TYPES) connections.inc({ ...c.labels, event_type: type }, 0);
    for (const type of LIFECYCLE_EVENT_TYPES) lifecycle.inc({ ...c.labels, event_type: type }, 0);
    for (const z of [...zeroed, attempts]) z.inc(c.labels, 0);
    for (const g of [connected, lastDrop, ...fixedGauges]) g.set(c.labels, 0);
    for (const h of [session, ttr, rtt]) h.zero(c.labels);
  }
  let version = 0;
  const at = (i: number) => conns[i % conns.length] as Conn;
  return {
    reg,
    get version() {
      return version;
    },
    attempt(i) {
      version++;
      attempts.inc(at(i).labels);
    },
    success(i, t, type = "resumed") {
      version++;
      const c = at(i);
      connections.inc({ ...c.labels, event_type: type });
      connected.set(c.labels, 1);
      if (c.droppedAt !== undefined) ttr.observe(c.labels, (t - c.droppedAt) / 1000);
      c.connectedAt = t;
      c.droppedAt = undefined;
    },
    drop(i, t, errorName) {
      version++;
      const c = at(i);
      drops.inc({ ...c.labels, error_name: errorName });
      reconnects.inc(c.labels);
      connected.set(c.labels, 0);
      lastDrop.set(c.labels, t / 1000);
      if (c.connectedAt !== undefined) session.observe(c.labels, (t - c.connectedAt) / 1000);
      c.connectedAt = undefined;
      c.droppedAt = t;
    },
  };
}
