import { randomUUID } from "node:crypto";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";

export interface ProbeSettings {
  topic: string;
  interval_seconds: number;
  timeout_ms: number;
}

export interface ProbeTransport {
  subscribe(topic: string): Promise<void>;
  publish(topic: string, payload: string): Promise<void>;
}

/**
 * Publishes a QoS 1 message to its own topic and measures the round trip. One message per
 * interval keeps it far inside AWS IoT's per-connection publish quota (100/s).
 */
export class RoundTripProbe {
  private readonly pending = new Map<string, { sentAt: number; timer: NodeJS.Timeout }>();
  private interval: NodeJS.Timeout | undefined;
  private readonly prefix = randomUUID();
  private seq = 0;

  constructor(
    private readonly settings: ProbeSettings,
    private readonly transport: ProbeTransport,
    private readonly collector: MqttDiagnosticsCollector,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Call after each successful connection: (re)subscribes and starts the schedule. */
  async onConnected(): Promise<void> {
    await this.transport.subscribe(this.settings.topic);
    if (this.interval === undefined) {
      this.interval = setInterval(() => void this.send(), this.settings.interval_seconds * 1000);
      this.interval.unref();
      void this.send();
    }
  }

  /** Feed every received message; returns true when it was a probe. */
  onMessage(topic: string, payload: string): boolean {
    if (topic !== this.settings.topic || !payload.startsWith(this.prefix)) return false;
    const entry = this.pending.get(payload);
    if (entry === undefined) return true;
    clearTimeout(entry.timer);
    this.pending.delete(payload);
    this.collector.recordProbe((this.now() - entry.sentAt) / 1000);
    return true;
  }

  private async send(): Promise<void> {
    if (!this.collector.isConnected) return;
    const id = `${this.prefix}:${++this.seq}`;
    const timer = setTimeout(() => {
      if (this.pending.delete(id)) this.collector.recordProbe(null);
    }, this.settings.timeout_ms);
    timer.unref();
    this.pending.set(id, { sentAt: this.now(), timer });
    try {
      await this.transport.publish(this.settings.topic, id);
    } catch {
      // A failed publish surfaces as the timeout above: one place counts probe failures.
    }
  }

  stop(): void {
    if (this.interval !== undefined) clearInterval(this.interval);
    this.interval = undefined;
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
