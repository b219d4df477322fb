import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { ConnectionMetric, HistogramMetric, MetricDef, MetricSources, ProcessMetric } from "./metric-def.js";
import type { HistogramState } from "./histograms.js";
import type { Layout, PartText } from "./layouts.js";
import { escapeLabelValue, exposedName, familyHeader, histogramLines, labelPairs, valueText, type Families } from "./prometheus-text.js";

/** A metric with its family name and header, spelled once. */
interface Spelled<M extends MetricDef> {
  metric: M;
  family: string;
  header: string;
}

const spelled = <M extends MetricDef>(metric: M): Spelled<M> => {
  const family = exposedName(metric.name, metric.kind);
  return { metric, family, header: familyHeader(family, metric.help, metric.kind) };
};

/** A histogram with its series names and each bucket's `,le="b"} ` spelled once, for every connection. */
interface SpelledHistogram extends Spelled<HistogramMetric> {
  bucket: string;
  sum: string;
  count: string;
  le: string[];
}

const spelledHistogram = (metric: HistogramMetric): SpelledHistogram => {
  const s = spelled(metric);
  const le = metric.buckets.map((b) => `,le="${valueText(b)}"} `);
  return { ...s, bucket: `${s.family}_bucket`, sum: `${s.family}_sum`, count: `${s.family}_count`, le };
};

/**
 * What a connection's renderings share: its label spelled and escaped once, and its second label
 * values escaped once each. Histogram lines are not kept: kept until their histogram moved, at
 * 1,000 connections they were megabytes promoted to V8's old generation at each broker restart,
 * and dropped at the next (see docs/benchmarks.md, "Rendering in place").
 */
interface ConnectionMemo {
  open: string;
  values: Map<string, string>;
}

/**
 * The Prometheus text of the catalog's metrics, rendered straight from the collectors' state and
 * the histograms' numbers (no OpenTelemetry collection on the way): one connection's families
 * at a time (what the exposition cache keeps per connection), and the process's.
 */
export class CatalogText {
  private readonly perConnection: Spelled<ConnectionMetric>[] = [];
  private readonly histograms: SpelledHistogram[] = [];
  private readonly process: Spelled<ProcessMetric>[] = [];
  private readonly memos = new WeakMap<MqttDiagnosticsCollector, ConnectionMemo>();
  /** Every connection's families, in the order connectionText() writes them: one layout for all. */
  readonly layout: Layout;

  constructor(
    metrics: readonly MetricDef[],
    private readonly sources: MetricSources,
  ) {
    for (const m of metrics) {
      if (m.kind === "histogram") this.histograms.push(spelledHistogram(m));
      else if (m.scope === "connection") this.perConnection.push(spelled(m));
      else this.process.push(spelled(m));
    }
    const all = [...this.perConnection, ...this.histograms];
    this.layout = { names: all.map((m) => m.family), headers: all.map((m) => m.header) };
  }

  /** The histograms' metrics, in the order of a ConnectionHistograms' states. */
  get histogramMetrics(): HistogramMetric[] {
    return this.histograms.map((h) => h.metric);
  }

  private memo(c: MqttDiagnosticsCollector): ConnectionMemo {
    let memo = this.memos.get(c);
    if (memo === undefined) {
      // `{connection="..."` without its closing brace: every series of the connection starts so.
      memo = { open: `{connection="${escapeLabelValue(c.connection)}"`, values: new Map() };
      this.memos.set(c, memo);
    }
    return memo;
  }

  /** A connection's families as one Families map (empty ones left out). */
  connection(c: MqttDiagnosticsCollector, states: readonly HistogramState[]): Families {
    const { text, ends } = this.connectionText(c, states);
    const families: Families = new Map();
    this.layout.names.forEach((name, i) => {
      const body = text.slice(i === 0 ? 0 : ends[i - 1], ends[i]);
      if (body !== "") families.set(name, { header: this.layout.headers[i] as string, body });
    });
    return families;
  }

  /**
   * A connection's samples, family by family in `layout`'s order, as one text: what the
   * exposition cache writes into the connection's kept Buffer. Nothing of it is kept.
   */
  connectionText(c: MqttDiagnosticsCollector, states: readonly HistogramState[]): PartText {
    let text = "";
    const ends: number[] = [];
    const memo = this.memo(c);
    const { open, values } = memo;
    const escaped = (label: string) => {
      let v = values.get(label);
      if (v === undefined) values.set(label, (v = escapeLabelValue(label)));
      return v;
    };
    for (const { metric, family } of this.perConnection) {
      const second = metric.labels[1];
      metric.read(
        c,
        (value: number, label?: string) => {
          text +=
            second === undefined || label === undefined
              ? `${family}${open}} ${valueText(value)}\n`
              : `${family}${open},${second}="${escaped(label)}"} ${valueText(value)}\n`;
        },
        this.sources,
      );
      ends.push(text.length);
    }
    for (let i = 0; i < this.histograms.length; i++) {
      const h = this.histograms[i] as SpelledHistogram;
      const s = states[i];
      if (s !== undefined && s.boundaries !== h.metric.buckets) {
        text += histogramLines(h.family, `${open}}`, s.boundaries, s.counts, s.sum, s.count);
      } else {
        // As histogramLines spells them (bucket, sum, count), appended to the one text.
        let cumulative = 0;
        for (let b = 0; b < h.le.length; b++) {
          cumulative += s?.counts[b] ?? 0;
          text += `${h.bucket}${open}${h.le[b] as string}${cumulative}\n`;
        }
        const count = s?.count ?? 0;
        text += `${h.bucket}${open},le="+Inf"} ${count}\n${h.sum}${open}} ${valueText(s?.sum ?? 0)}\n${h.count}${open}} ${count}\n`;
      }
      ends.push(text.length);
    }
    return { layout: this.layout, text, ends };
  }

  /** Process-wide and clock-derived series (session uptime, build info, journal errors, lifecycle drops). */
  shared(all: readonly MqttDiagnosticsCollector[]): Families {
    const families: Families = new Map();
    for (const { metric, family, header } of this.process) {
      const lines: string[] = [];
      metric.read(all, (value, ...labels) => void lines.push(`${family}${labelPairs(metric.labels, labels)} ${valueText(value)}\n`), this.sources);
      families.set(family, { header, body: lines.join("") });
    }
    return families;
  }
}
