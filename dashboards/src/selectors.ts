import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/common";
import { DisconnectReason, disconnectReasonName } from "../../src/collector/reason-codes.js";
import { PING_TIMEOUT_ERROR_NAMES } from "../../src/diagnosis/signals.js";
import { FLEET_NAMES } from "../../src/fleet/fleet-instruments.js";
import { NAMES } from "../../src/metrics/instruments.js";

/**
 * Every series name the dashboards and rules use, taken from the instruments themselves so a
 * rename there breaks the build here. Prometheus appends `_total` to monotonic sums.
 */
export const METRIC = {
  connections: `${NAMES.connections}_total`,
  drops: `${NAMES.drops}_total`,
  failures: `${NAMES.failures}_total`,
  attempts: `${NAMES.attempts}_total`,
  reconnectAttempts: `${NAMES.reconnectAttempts}_total`,
  serverDisconnects: `${NAMES.serverDisconnects}_total`,
  published: `${NAMES.published}_total`,
  queued: `${NAMES.queued}_total`,
  probeTimeouts: `${NAMES.probeTimeouts}_total`,
  connected: NAMES.connected,
  uptime: NAMES.uptime,
  lastDrop: NAMES.lastDrop,
  keepAlive: NAMES.keepAlive,
  queuedOps: NAMES.queuedOps,
  unackedOps: NAMES.unackedOps,
  diagnosis: NAMES.diagnosis,
  buildInfo: NAMES.buildInfo,
  journalWriteErrors: `${NAMES.journalWriteErrors}_total`,
  sessionDurationBucket: `${NAMES.sessionDuration}_bucket`,
  timeToReconnectBucket: `${NAMES.timeToReconnect}_bucket`,
  probeRttBucket: `${NAMES.probeRtt}_bucket`,
} as const;

/** Fleet mode's series (`mqtt-diagnostics fleet`): the device fleet, from the fleet's instruments. */
export const FLEET_METRIC = {
  devices: FLEET_NAMES.devices,
  connected: FLEET_NAMES.connected,
  awsEvents: `${FLEET_NAMES.awsEvents}_total`,
  dropsByCause: FLEET_NAMES.dropsByCause,
  byTransport: FLEET_NAMES.byTransport,
  evidenceEvents: `${FLEET_NAMES.evidenceEvents}_total`,
  evidenceDiscarded: `${FLEET_NAMES.evidenceDiscarded}_total`,
  rejected: `${FLEET_NAMES.rejected}_total`,
  topDrops: FLEET_NAMES.topDrops,
  sessionDurationBucket: `${FLEET_NAMES.sessionDuration}_bucket`,
  timeToReconnectBucket: `${FLEET_NAMES.timeToReconnect}_bucket`,
} as const;

/** The aws-crt error names of a keep-alive ping that got no answer, as the diagnosis reads them. */
export const PING_TIMEOUT_ERRORS = PING_TIMEOUT_ERROR_NAMES;
/** The matcher of drops by ping timeout. */
export const PING_TIMEOUT_MATCHER = `error_name=~"${PING_TIMEOUT_ERRORS.join("|")}"`;
/** The `reason` label of a session taken over by another client with the same client ID (0x8E). */
export const TAKEOVER_MATCHER = `reason="${disconnectReasonName(DisconnectReason.SESSION_TAKEN_OVER)}"`;
/** The Prometheus job that scrapes the exporter, as in docker/prometheus.yml. */
export const DEFAULT_JOB = "mqtt-diagnostics";

/** Datasource variables: panels name these, never a concrete datasource, so the JSON imports anywhere. */
export const PROMETHEUS_VAR = "datasource";
export const CLOUDWATCH_VAR = "cloudwatch";
export const prometheusDs: DataSourceRef = { type: "prometheus", uid: `\${${PROMETHEUS_VAR}}` };
export const cloudwatchDs: DataSourceRef = { type: "cloudwatch", uid: `\${${CLOUDWATCH_VAR}}` };

/** The `__inputs` names Grafana's import dialog asks for. */
export const PROMETHEUS_INPUT = "DS_PROMETHEUS";
export const CLOUDWATCH_INPUT = "DS_CLOUDWATCH";

/** The label matcher every per-connection query carries (template variables job, instance, connection). */
export const SEL = 'job=~"$job", instance=~"$instance", connection=~"$connection"';
/** Fleet queries select by job only: they compare connections and instances. */
export const FLEET_SEL = 'job=~"$job"';
/** What a query groups by to keep one series per connection. */
export const BY_CONNECTION = "job, instance, connection";

/** `metric{matchers}` with the dashboard selector, plus extra matchers when given. */
export function sel(metric: string, extra?: string, base: string = SEL): string {
  return `${metric}{${base}${extra ? `, ${extra}` : ""}}`;
}
