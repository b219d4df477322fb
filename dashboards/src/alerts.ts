import { stringify } from "yaml";
import { BY_CONNECTION, DEFAULT_JOB, METRIC, PING_TIMEOUT_MATCHER, TAKEOVER_MATCHER } from "./selectors.js";

/** Where the runbook lives when nothing else is said: its page in the repository. */
export const DEFAULT_RUNBOOK_BASE = "https://github.com/mqtt-diagnostics-exporter/mqtt-diagnostics-exporter/blob/main/docs/alerts-runbook.md";
/** The environment variable that sets the runbook base (the generator's `--runbook-base` wins). */
export const RUNBOOK_BASE_ENV = "MQTT_DIAGNOSTICS_RUNBOOK_BASE";

export interface AlertOptions {
  /** The runbook page; each alert links to `<base>#<alert name in lower case>`. */
  runbookBase: string;
  /** The Prometheus job that scrapes the exporter (for the exporter-down alert). */
  job: string;
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = { runbookBase: DEFAULT_RUNBOOK_BASE, job: DEFAULT_JOB };

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "critical" | "warning" };
  annotations: { summary: string; description: string; runbook_url: string };
}

/**
 * A storm is retrying without backoff: more failed attempts than any exponential backoff
 * allows for long, or attempts at half of AWS IoT's limit of one connect per second per client
 * ID. A reconnect a second after each drop (the demo's ordinary backoff) is neither.
 */
export const STORM_FAILED_ATTEMPTS_5M = 20;
export const STORM_ATTEMPTS_5M = 150;
/** How far back a takeover still alerts. */
const TAKEOVER_WINDOW = "15m";

const sumBy = (expr: string) => `sum by (${BY_CONNECTION}) (${expr})`;
const maxBy = (expr: string) => `max by (${BY_CONNECTION}) (${expr})`;

/**
 * The first takeover creates its series at 1, and `increase()` sees no increase in a series'
 * first sample. A series that exists now but did not `TAKEOVER_WINDOW` ago is a new takeover,
 * but only for a connection that was scraped then: after an exporter restart the counter
 * restored from the journal is no new takeover.
 */
const takeovers = (m: string) =>
  [
    `${sumBy(`increase(${m}{${TAKEOVER_MATCHER}}[${TAKEOVER_WINDOW}])`)} > 0`,
    "or",
    "(",
    `  ${sumBy(`${m}{${TAKEOVER_MATCHER}}`)} > 0`,
    "  unless",
    `  ${sumBy(`${m}{${TAKEOVER_MATCHER}} offset ${TAKEOVER_WINDOW}`)}`,
    ")",
    `and on (${BY_CONNECTION})`,
    sumBy(`${METRIC.connected} offset ${TAKEOVER_WINDOW}`),
  ].join("\n");

type RuleBody = Omit<AlertRule, "annotations"> & { annotations: Omit<AlertRule["annotations"], "runbook_url"> };

function rules(o: AlertOptions): RuleBody[] {
  return [
    {
      alert: "MqttConnectionDown",
      expr: `${maxBy(METRIC.connected)} == 0`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "MQTT connection {{ $labels.connection }} on {{ $labels.instance }} has been down for 5 minutes",
        description:
          "mqtt_client_connected has been 0 for {{ $labels.connection }} for at least 5 minutes: the client cannot reconnect. The Drops and Failed attempts panels name the error.",
      },
    },
    {
      alert: "MqttDropRateHigh",
      expr: `${sumBy(`increase(${METRIC.drops}[15m])`)} > 3`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "MQTT connection {{ $labels.connection }} dropped {{ $value | humanize }} times in 15 minutes",
        description:
          "More than 3 drops in 15 minutes, sustained for 10 minutes, on {{ $labels.connection }} ({{ $labels.instance }}). Look at the error names and the session-duration heatmap to tell network, AWS and configuration apart.",
      },
    },
    {
      alert: "MqttReconnectStorm",
      expr: `${sumBy(`increase(${METRIC.failures}[5m])`)} > ${STORM_FAILED_ATTEMPTS_5M}\nor\n${sumBy(`increase(${METRIC.attempts}[5m])`)} > ${STORM_ATTEMPTS_5M}`,
      for: "2m",
      labels: { severity: "warning" },
      annotations: {
        summary: "MQTT connection {{ $labels.connection }} on {{ $labels.instance }} retries without backoff",
        description: `More than ${STORM_FAILED_ATTEMPTS_5M} failed connection attempts, or more than ${STORM_ATTEMPTS_5M} attempts (one every 2 s, half of AWS IoT's limit of one connect per second per client ID), in 5 minutes on {{ $labels.connection }} ({{ $labels.instance }}): the client retries without backoff, which AWS IoT answers with throttling (Connect.Throttle, Connect.ClientIDThrottle).`,
      },
    },
    {
      alert: "MqttDuplicateClientId",
      expr: `${maxBy(`${METRIC.diagnosis}{cause="duplicate_client_id"}`)} >= 0.5\nor\n${takeovers(METRIC.serverDisconnects)}`,
      for: "0m",
      labels: { severity: "critical" },
      annotations: {
        summary: "Another client uses the client ID of {{ $labels.connection }}",
        description:
          "AWS IoT took the session of {{ $labels.connection }} ({{ $labels.instance }}) over (DISCONNECT session_taken_over), or the exporter's diagnosis names a duplicate client ID. Two clients with one ID disconnect each other in turn.",
      },
    },
    {
      alert: "MqttPingTimeoutsRepeating",
      expr: `${sumBy(`increase(${METRIC.drops}{${PING_TIMEOUT_MATCHER}}[30m])`)} >= 2`,
      for: "1m",
      labels: { severity: "warning" },
      annotations: {
        summary: "MQTT connection {{ $labels.connection }} keeps dropping on ping timeouts",
        description:
          "{{ $value | humanize }} drops by keep-alive ping timeout in 30 minutes on {{ $labels.connection }} ({{ $labels.instance }}): something on the path (NAT, firewall, proxy, load balancer) drops idle connections or the ping answers.",
      },
    },
    {
      alert: "MqttExporterJournalWriteErrors",
      expr: `sum by (job, instance) (increase(${METRIC.journalWriteErrors}[10m])) > 0`,
      for: "1m",
      labels: { severity: "warning" },
      annotations: {
        summary: "mqtt-diagnostics-exporter on {{ $labels.instance }} cannot write its journal",
        description:
          "{{ $value | humanize }} failed journal writes in 10 minutes on {{ $labels.instance }}: history will be lost on restart. Check disk space and permissions of the journal directory.",
      },
    },
    {
      alert: "MqttExporterDown",
      expr: `up{job="${o.job}"} == 0`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: "mqtt-diagnostics-exporter on {{ $labels.instance }} has not answered a scrape for 5 minutes",
        description:
          "Prometheus cannot scrape {{ $labels.instance }} (job {{ $labels.job }}): every other MQTT alert is blind for its connections until it is back. Check the process or container, its logs and the network path from Prometheus.",
      },
    },
  ];
}

/** The alert rules with their runbook links. */
export function alertRules(o: AlertOptions = DEFAULT_ALERT_OPTIONS): AlertRule[] {
  return rules(o).map((r) => ({ ...r, annotations: { ...r.annotations, runbook_url: `${o.runbookBase}#${r.alert.toLowerCase()}` } }));
}

const HEADER = `# Prometheus alerting rules for mqtt-diagnostics-exporter.
# GENERATED by \`npm run dashboards:generate\` from dashboards/src/alerts.ts: edit that file, not this one
# (test/unit/alerts.test.ts fails when they differ). Runbook links start with the base given by
# \`--runbook-base URL\` or ${RUNBOOK_BASE_ENV} (default: the runbook in the repository).
# Tested by dashboards/alerts.test.yml (promtool test rules) and against a real Prometheus in
# test/integration/promql-dashboards.test.ts.
`;

/** The rules file as committed (dashboards/alerts.yml). */
export function alertsYaml(o: AlertOptions = DEFAULT_ALERT_OPTIONS): string {
  return HEADER + stringify({ groups: [{ name: "mqtt-diagnostics", rules: alertRules(o) }] }, { lineWidth: 0 });
}
