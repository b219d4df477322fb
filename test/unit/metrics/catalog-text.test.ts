import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { metricsFor } from "../../../src/metrics/catalog.js";
import type { MetricSources } from "../../../src/metrics/metric-def.js";
import { CatalogText } from "../../../src/metrics/catalog-text.js";
import { ConnectionHistograms, type HistogramState } from "../../../src/metrics/histograms.js";
import { exposedName, histogramLines } from "../../../src/metrics/prometheus-text.js";

const quiet = { warn: () => undefined, error: () => undefined };
const sources: MetricSources = {
  serviceVersion: "9.9.9",
  diagnosis: () => [{ cause: "duplicate_client_id", confidence: 0.8 }],
  journalStats: { writeErrors: () => 2 },
};

function setup(name: string) {
  const registry = new CollectorRegistry({ clock: new ManualClock(Date.parse("2026-03-01T12:00:00Z")), logger: quiet });
  const text = new CatalogText(metricsFor(sources), sources);
  const c = registry.getOrCreate(name);
  const h = new ConnectionHistograms(c, text.histogramMetrics);
  return { registry, text, c, h };
}

describe("CatalogText", () => {
  it("writes a connection's families from its collector, with every histogram from the start", () => {
    const { text, c, h } = setup("heater-1");
    c.recordConnectionAttempt();
    c.recordConnectionSuccess({ keepAliveSeconds: 30 });
    const f = text.connection(c, h.states);
    expect(f.get("mqtt_client_connection_attempts_total")).toEqual({
      header: "# HELP mqtt_client_connection_attempts_total Connection attempts started.\n# TYPE mqtt_client_connection_attempts_total counter\n",
      body: 'mqtt_client_connection_attempts_total{connection="heater-1"} 1\n',
    });
    expect(f.get("mqtt_client_connections_total")?.body).toBe(
      'mqtt_client_connections_total{connection="heater-1",event_type="connected"} 1\nmqtt_client_connections_total{connection="heater-1",event_type="resumed"} 0\nmqtt_client_connections_total{connection="heater-1",event_type="deep_reconnected"} 0\n',
    );
    expect(f.get("mqtt_client_diagnosis")?.body).toBe('mqtt_client_diagnosis{connection="heater-1",cause="duplicate_client_id"} 0.8\n');
    expect(f.get("mqtt_client_probe_rtt_seconds")?.body).toContain(
      'mqtt_client_probe_rtt_seconds_bucket{connection="heater-1",le="+Inf"} 0\nmqtt_client_probe_rtt_seconds_sum{connection="heater-1"} 0\n',
    );
    // No failure yet: the family has no series and is left out.
    expect(f.has("mqtt_client_connection_failures_total")).toBe(false);
  });

  // issue 24: a histogram's lines are appended to the connection's one text (no lines kept per
  // histogram, which V8 promoted and dropped at each change); spelled as histogramLines spells them.
  it("writes each histogram's lines as histogramLines spells them, before and after it moved", () => {
    const { text, c, h } = setup('heater "1"');
    const expected = () =>
      new Map(
        text.histogramMetrics.map((m, i) => {
          const family = exposedName(m.name, m.kind);
          const s = h.states[i] as HistogramState;
          return [family, histogramLines(family, `{connection="heater \\"1\\""}`, s.boundaries, s.counts, s.sum, s.count)];
        }),
      );
    const bodies = () =>
      new Map(text.histogramMetrics.map((m) => [exposedName(m.name, m.kind), text.connection(c, h.states).get(exposedName(m.name, m.kind))?.body]));
    expect(bodies()).toEqual(expected());
    c.recordConnectionSuccess({ keepAliveSeconds: 30 });
    c.recordConnectionDrop({ error: { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "hangup" } });
    c.recordConnectionSuccess({ eventType: "resumed" });
    expect(bodies()).toEqual(expected());
    expect(text.connection(c, h.states).get("mqtt_client_session_duration_seconds")?.body).toContain(
      'mqtt_client_session_duration_seconds_count{connection="heater \\"1\\""} 1\n',
    );
    // Without states yet (a connection rendered before its histograms exist): empty histograms.
    expect(text.connection(c, []).get("mqtt_client_session_duration_seconds")?.body).toContain(
      'mqtt_client_session_duration_seconds_bucket{connection="heater \\"1\\"",le="+Inf"} 0\n',
    );
  });

  // issue 24: the exposition cache writes each connection's text into the connection's kept
  // Buffer by the renderer's one layout, with no family map or range objects per connection.
  it("writes every connection's text by one layout: its families' samples in the layout's order, empty ones included", () => {
    const { registry, text, c, h } = setup("heater-1");
    const other = registry.getOrCreate("heater-2");
    c.recordConnectionSuccess({ keepAliveSeconds: 30 });
    const mine = text.connectionText(c, h.states);
    expect(text.connectionText(other, []).layout).toBe(mine.layout);
    expect(mine.ends).toHaveLength(mine.layout.names.length);
    const body = (i: number) => mine.text.slice(i === 0 ? 0 : mine.ends[i - 1], mine.ends[i]);
    const families = text.connection(c, h.states);
    mine.layout.names.forEach((name, i) => {
      expect(body(i)).toBe(families.get(name)?.body ?? "");
      if (families.has(name)) expect(mine.layout.headers[i]).toBe(families.get(name)?.header);
    });
    expect(body(mine.layout.names.indexOf("mqtt_client_connection_failures_total"))).toBe("");
    expect(mine.ends.at(-1)).toBe(mine.text.length);
  });

  it("escapes label values: a connection name or an error name with quotes, backslashes, newlines", () => {
    const { text, c, h } = setup('a"b\\c\nd');
    c.recordConnectionDrop({ error: { error_name: 'E"1', error_code: 1, message: "m" } });
    const body = text.connection(c, h.states).get("mqtt_client_connection_drops_total")?.body;
    expect(body).toBe('mqtt_client_connection_drops_total{connection="a\\"b\\\\c\\nd",error_name="E\\"1"} 1\n');
  });

  it("writes the process's families: build info, journal errors, every connection's uptime", () => {
    const { registry, text } = setup("heater-1");
    registry.getOrCreate("pump-2");
    const f = text.shared(registry.all());
    expect(f.get("mqtt_diagnostics_exporter_build_info")?.body).toMatch(
      /^mqtt_diagnostics_exporter_build_info\{version="9\.9\.9",node_version="v\d+[^"]*",aws_crt_version="[^"]*",sdk_version="[^"]*"\} 1\n$/,
    );
    expect(f.get("mqtt_diagnostics_journal_write_errors_total")?.body).toBe("mqtt_diagnostics_journal_write_errors_total 2\n");
    expect(f.get("mqtt_client_session_uptime_seconds")?.body).toBe(
      'mqtt_client_session_uptime_seconds{connection="heater-1"} 0\nmqtt_client_session_uptime_seconds{connection="pump-2"} 0\n',
    );
    expect(f.has("mqtt_diagnostics_lifecycle_events_dropped_total")).toBe(false);
  });
});
