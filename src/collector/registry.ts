import { type CollectorOptions, MqttDiagnosticsCollector } from "./collector.js";

/**
 * The most connections one process watches: the configuration refuses more at load, and each
 * instrument's cardinality limit is sized from it.
 */
export const MAX_CONNECTIONS = 1000;

/**
 * The collectors of one process, one per connection, in configuration order. The first one is
 * the default that endpoints use when no `connection` is named.
 */
export class CollectorRegistry {
  private readonly collectors = new Map<string, MqttDiagnosticsCollector>();
  /**
   * The names in creation order. Replaced, not changed, when a collector is created (rarely): a
   * reader that holds it across awaits (a scrape rendering in slices) keeps a list that stays put.
   */
  private order: readonly string[] = [];
  private createdListeners: ((collector: MqttDiagnosticsCollector) => void)[] = [];

  constructor(private readonly defaults: Omit<CollectorOptions, "connection"> = {}) {}

  /** Called for every collector, those that exist now and those created later. */
  onCreated(listener: (collector: MqttDiagnosticsCollector) => void): () => void {
    this.createdListeners.push(listener);
    for (const collector of this.collectors.values()) listener(collector);
    return () => {
      this.createdListeners = this.createdListeners.filter((l) => l !== listener);
    };
  }

  getOrCreate(connection: string): MqttDiagnosticsCollector {
    let collector = this.collectors.get(connection);
    if (collector === undefined) {
      collector = new MqttDiagnosticsCollector({ ...this.defaults, connection });
      this.collectors.set(connection, collector);
      this.order = [...this.order, connection];
      for (const listener of this.createdListeners) listener(collector);
    }
    return collector;
  }

  get(connection: string): MqttDiagnosticsCollector | undefined {
    return this.collectors.get(connection);
  }

  /** The first registered collector, if any. */
  first(): MqttDiagnosticsCollector | undefined {
    return this.collectors.values().next().value;
  }

  names(): string[] {
    return [...this.order];
  }

  /** The same names without a copy per call, for readers that run at every scrape. */
  namesView(): readonly string[] {
    return this.order;
  }

  all(): MqttDiagnosticsCollector[] {
    return [...this.collectors.values()];
  }
}
