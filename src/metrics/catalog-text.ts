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

/**
 * What a connection's renderings share: its label spelled and escaped once, its second label
 * values escaped once each, and each histogram's lines while its state did not move (a reconnect
 * renders a connection again but observes into few of its histograms).
 */
interface ConnectionMemo {
  open: string;
  values: Map<string, string>;
  histograms: ({ state: HistogramState | undefined; count: number; body: string } | undefined)[];
}

/**
 * The Prometheus text of the catalog's metrics, rendered straight from the collectors' state and
 * the histograms' numbers (no OpenTelemetry collection on the way): one connection's families
 * at a time (what the exposition cache keeps per connection), and the process's.
 */
export class CatalogText {
  private readonly perConnection: Spelled<ConnectionMetric>[] = [];
  private readonly histograms: Spelled<HistogramMetric>[] = [];
  private readonly process: Spelled<ProcessMetric>[] = [];
  private readonly memos = new WeakMap<MqttDiagnosticsCollector, ConnectionMemo>();
  /** Every connection's families, in the order connectionText() writes them: one layout for all. */
  readonly layout: Layout;
  /** Histogram bodies rendered (not reused from the last rendering): for tests. */
  histogramRenders = 0;

  constructor(
    metrics: readonly MetricDef[],
    private readonly sources: MetricSources,
  ) {
    for (const m of metrics) {
      if (m.kind === "histogram") this.histograms.push(spelled(m));
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
      memo = { open: `{connection="${escapeLabelValue(c.connection)}"`, values: new Map(), histograms: [] };
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
   * exposition cache writes into the connection's kept Buffer. Nothing of it is kept here but
   * the histograms' lines while their state does not move.
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
    const labels = `${open}}`;
    this.histograms.forEach(({ family, metric }, i) => {
      const s = states[i];
      const count = s?.count ?? 0;
      let last = memo.histograms[i];
      // A state only grows: the same state with the same count renders the same lines.
      if (last !== undefined && last.state === s && last.count === count) {
        ends.push((text += last.body).length);
        return;
      }
      const body =
        s === undefined ? histogramLines(family, labels, metric.buckets, [], 0, 0) : histogramLines(family, labels, s.boundaries, s.counts, s.sum, s.count);
      this.histogramRenders++;
      // The memo's record is kept and updated: a new one per change would be one more object promoted and dropped.
      if (last === undefined) memo.histograms[i] = last = { state: s, count, body };
      else {
        last.state = s;
        last.count = count;
        last.body = body;
      }
      ends.push((text += body).length);
    });
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
