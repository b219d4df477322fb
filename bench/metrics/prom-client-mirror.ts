/**
 * The same series as our instruments, on prom-client, read from the same collectors: counters
 * and gauges filled at collection time (as OpenTelemetry's observable instruments are), the
 * same label cap, histograms recorded from the same events with the same boundaries and zeroed
 * per connection. Only HELP texts differ. Used by the benchmarks to compare like with like.
 */
import { Counter, Gauge, Histogram, Registry, type LabelValues } from "prom-client";
import type { MqttDiagnosticsCollector } from "../../src/collector/collector.js";
import type { CollectorRegistry } from "../../src/collector/registry.js";
import { EVENT_TYPES, NAMES } from "../../src/metrics/instruments.js";
import { capLabels } from "../../src/metrics/label-cap.js";
import { HISTOGRAM_BOUNDARIES } from "../../src/metrics/views.js";
import { LIFECYCLE_EVENT_TYPES } from "../../src/collector/aws-lifecycle.js";
import { awsCrtVersion, packageVersion, sdkVersion } from "../../src/version.js";

type Read = (c: MqttDiagnosticsCollector) => Iterable<[LabelValues<string>, number]>;

export function promClientMirror(registry: CollectorRegistry): { reg: Registry; close(): void } {
  const reg = new Registry();
  const perConnection = (kind: "counter" | "gauge", name: string, extra: string[], read: Read) => {
    const labelNames = ["connection", ...extra];
    const collect = function (this: Counter | Gauge) {
      this.reset();
      for (const c of registry.all()) {
        for (const [labels, n] of read(c)) {
          if (this instanceof Counter) this.inc({ connection: c.connection, ...labels }, n);
          else this.set({ connection: c.connection, ...labels }, n);
        }
      }
    };
    if (kind === "counter") new Counter({ name: `${name}_total`, help: name, labelNames, registers: [reg], collect });
    else new Gauge({ name, help: name, labelNames, registers: [reg], collect });
  };
  const one = (f: (c: MqttDiagnosticsCollector) => number): Read => (c) => [[{}, f(c)]];
  const by = (label: string, f: (c: MqttDiagnosticsCollector) => ReadonlyMap<string, number>): Read => (c) =>
    [...capLabels(f(c))].map(([v, n]): [LabelValues<string>, number] => [{ [label]: v }, n]);
  perConnection("counter", NAMES.connections, ["event_type"], (c) => {
    const out: [LabelValues<string>, number][] = EVENT_TYPES.map((t) => [{ event_type: t }, c.connectionsByType.get(t) ?? 0]);
    for (const [t, n] of capLabels(c.connectionsByType)) if (!(EVENT_TYPES as readonly string[]).includes(t)) out.push([{ event_type: t }, n]);
    return out;
  });
  perConnection("counter", NAMES.drops, ["error_name"], by("error_name", (c) => c.dropsByErrorLabel));
  perConnection("counter", NAMES.failures, ["error_name"], by("error_name", (c) => c.failuresByErrorLabel));
  perConnection("counter", NAMES.serverDisconnects, ["reason"], by("reason", (c) => c.serverDisconnectsByReason));
  perConnection("counter", NAMES.serverDisconnectReasons, ["reason"], by("reason", (c) => c.serverDisconnectReasons));
  perConnection("counter", NAMES.foreignSessions, [], one((c) => c.foreignSessionCount));
  perConnection("counter", NAMES.lifecycleEvents, ["event_type"], (c) => LIFECYCLE_EVENT_TYPES.map((t): [LabelValues<string>, number] => [{ event_type: t }, c.lifecycleEventsByType.get(t) ?? 0]));
  perConnection("counter", NAMES.attempts, [], one((c) => c.connectionAttempts));
  perConnection("counter", NAMES.reconnectAttempts, [], one((c) => c.totals.total_reconnect_attempts));
  perConnection("counter", NAMES.published, [], one((c) => c.totals.messages_published));
  perConnection("counter", NAMES.queued, [], one((c) => c.totals.messages_queued));
  perConnection("counter", NAMES.probeTimeouts, [], one((c) => c.probeTimeoutCount));
  perConnection("gauge", NAMES.connected, [], one((c) => (c.isConnected ? 1 : 0)));
  perConnection("gauge", NAMES.uptime, [], one((c) => c.sessionUptimeSeconds()));
  perConnection("gauge", NAMES.lastDrop, [], one((c) => c.lastDropUnixSeconds ?? 0));
  perConnection("gauge", NAMES.keepAlive, [], one((c) => c.negotiatedKeepAliveSeconds ?? 0));
  perConnection("gauge", NAMES.queuedOps, [], one((c) => c.operationalStatistics?.incompleteOperationCount ?? 0));
  perConnection("gauge", NAMES.unackedOps, [], one((c) => c.operationalStatistics?.unackedOperationCount ?? 0));
  new Gauge({ name: NAMES.buildInfo, help: "build", labelNames: ["version", "node_version", "aws_crt_version", "sdk_version"], registers: [reg] }).set({ version: packageVersion, node_version: process.version, aws_crt_version: awsCrtVersion, sdk_version: sdkVersion }, 1);

  const histogram = (name: string) => new Histogram({ name, help: name, labelNames: ["connection"], buckets: [...(HISTOGRAM_BOUNDARIES.get(name) ?? [])], registers: [reg] });
  const session = histogram(NAMES.sessionDuration);
  const ttr = histogram(NAMES.timeToReconnect);
  const rtt = histogram(NAMES.probeRtt);
  const detachers: (() => void)[] = [];
  const stop = registry.onCreated((c) => {
    const labels = { connection: c.connection };
    for (const h of [session, ttr, rtt]) h.zero(labels);
    detachers.push(
      c.onEvent((e) => {
        if (e.sessionEndedSeconds !== undefined) session.observe(labels, e.sessionEndedSeconds);
        if (e.timeToReconnectSeconds !== undefined) ttr.observe(labels, e.timeToReconnectSeconds);
        if (e.line.kind === "probe" && e.line.rtt_seconds !== null) rtt.observe(labels, e.line.rtt_seconds);
      }),
    );
  });
  return {
    reg,
    close() {
      stop();
      for (const d of detachers) d();
    },
  };
}
