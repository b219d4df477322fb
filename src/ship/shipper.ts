import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import { systemClock, type Clock } from "../clock.js";
import type { LoggerLike } from "../collector/logger.js";
import { serializeJournalEvent } from "../journal/format.js";
import { Backlog, DEFAULT_BACKLOG, type BacklogLimits } from "./backlog.js";
import { MAX_EVIDENCE_BYTES, takeBatch } from "./evidence.js";
import type { EvidencePublish } from "../mqtt/evidence-publish.js";
import { JournalTail, RankCounter, resumeFromJournal, shippable } from "./resume.js";
import { loadShipState, saveShipState, shipStatePath, type ShipState } from "./ship-state.js";
import { TokenBucket } from "./token-bucket.js";
import { evidenceTopic } from "../config/evidence-topic.js";
import { DEFAULT_EVIDENCE_TOPIC } from "../fleet/records.js";
import { sdkVersion as installedSdkVersion } from "../version.js";

export interface EvidenceShipperOptions {
  /** The collector whose events are shipped (its connection's events in the journal). */
  collector: MqttDiagnosticsCollector;
  /** `mqtt5Publisher(client)` or `mqtt311Publisher(connection)`: the app's own connection. */
  publish: EvidencePublish;
  /** The device's client ID, carried in every message. */
  clientId: string;
  /** Topic; `${clientId}` is replaced (default `mqtt-diagnostics/evidence/${clientId}`). */
  topic?: string;
  /** The collector's journal: what is unshipped at start is read from it. State file beside it. */
  journalPath?: string;
  /** Where the shipping state is kept (default: beside the journal). One of the two is required. */
  statePath?: string;
  /** The shipper's share of AWS IoT Core's 100 publishes/s per connection (default 1). */
  publishesPerSecond?: number;
  /** Publishes allowed back to back (default 1). */
  burst?: number;
  /** Largest message (default and most: 131,072 bytes). */
  maxMessageBytes?: number;
  backlog?: Partial<BacklogLimits>;
  /** A publish not acknowledged within this is tried again (default 60 s; repeats are harmless). */
  ackTimeoutMs?: number;
  /** Backoff after a failed publish: first and longest wait (default 1 s, 60 s). */
  retry?: { minMs: number; maxMs: number };
  /**
   * The device's aws-iot-device-sdk-v2 version, carried in every message's header so the fleet
   * counts devices by SDK version (default: the version installed beside this library; omitted
   * when it is not installed).
   */
  sdkVersion?: string;
  clock?: Clock;
  logger?: LoggerLike;
}

export interface ShipperStats {
  acked_seq: number;
  next_seq: number;
  backlog: number;
  discarded_total: number;
  messages_acked_total: number;
  publish_failures_total: number;
}

/**
 * Ships a device's journal events over its own MQTT connection (docs/evidence-shipping.md), one
 * message in flight at a time, at a bounded rate, each event numbered by a per-device `seq` that
 * survives restarts. Start it before the client starts, after the journal is restored.
 */
export class EvidenceShipper {
  private readonly backlog: Backlog;
  private readonly bucket: TokenBucket;
  private readonly clock: Clock;
  private readonly logger: LoggerLike;
  private readonly maxBytes: number;
  private readonly sdkVersion: string | undefined;
  private readonly ackTimeoutMs: number;
  private readonly retry: { minMs: number; maxMs: number };
  private detach: () => void = () => undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: { attempt: number; count: number; timeout: NodeJS.Timeout | undefined } | undefined;
  private attempts = 0;
  private failures = 0;
  private retryAt = 0;
  private stopped = false;
  private saving: Promise<void> = Promise.resolve();
  private acked = 0;
  private failed = 0;

  private constructor(
    private readonly options: EvidenceShipperOptions,
    private readonly topic: string,
    private readonly statePath: string,
    private state: ShipState,
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? console;
    this.maxBytes = Math.min(options.maxMessageBytes ?? MAX_EVIDENCE_BYTES, MAX_EVIDENCE_BYTES);
    this.ackTimeoutMs = options.ackTimeoutMs ?? 60_000;
    this.retry = options.retry ?? { minMs: 1000, maxMs: 60_000 };
    this.backlog = new Backlog(state.acked_seq + 1, state.discarded_total, { ...DEFAULT_BACKLOG, ...options.backlog });
    this.bucket = new TokenBucket(options.publishesPerSecond ?? 1, options.burst ?? 1, this.clock);
    const sdk = options.sdkVersion ?? installedSdkVersion;
    this.sdkVersion = sdk === "unknown" || sdk === "" ? undefined : sdk;
  }

  static async start(options: EvidenceShipperOptions): Promise<EvidenceShipper> {
    const rate = options.publishesPerSecond ?? 1;
    if (!(rate > 0 && rate <= 100)) throw new RangeError("publishesPerSecond: AWS IoT Core allows at most 100 publishes/s per connection");
    const statePath = options.statePath ?? (options.journalPath === undefined ? undefined : shipStatePath(options.journalPath));
    if (statePath === undefined) throw new TypeError("evidence shipping needs journalPath or statePath: the seq must survive restarts");
    const topic = evidenceTopic(options.topic ?? DEFAULT_EVIDENCE_TOPIC, options.clientId);
    if ("problem" in topic) throw new RangeError(`topic: ${topic.problem}`);
    // Listening first: what is recorded while the state and the journal are read waits here.
    const early: { ts: string; line: string }[] = [];
    let deliver: ((ts: string, line: string) => void) | undefined;
    const detach = options.collector.onEvent(
      ({ line }) => {
        if (!shippable(line)) return;
        if (deliver === undefined) early.push({ ts: line.ts, line: serializeJournalEvent(line) });
        else deliver(line.ts, serializeJournalEvent(line));
      },
      { phase: "persist" },
    );
    try {
      const state = await loadShipState(statePath, options.logger);
      const shipper = new EvidenceShipper(options, topic.topic, statePath, state);
      shipper.detach = detach;
      const ranks = await shipper.resume(early);
      // Nothing awaited since the journal's last line: no event falls between the two.
      deliver = (ts, line) => shipper.add(ts, ranks.next(ts), line);
      shipper.pump();
      return shipper;
    } catch (err) {
      detach();
      throw err;
    }
  }

  /**
   * What is unshipped: the journal's events after the acknowledged one, then those recorded
   * while it was read that it did not hold yet. Returns the ranks for the live events after them.
   */
  private async resume(early: readonly { ts: string; line: string }[]): Promise<RankCounter> {
    const { collector, journalPath } = this.options;
    let ranks = new RankCounter(this.state.cursor_ts, this.state.cursor_rank);
    let skip = 0;
    if (journalPath !== undefined) {
      const tail = new JournalTail();
      ranks = await resumeFromJournal(
        journalPath,
        collector.connection,
        this.state,
        (event, rank) => this.backlog.push(event.ts, rank, tail.keep(serializeJournalEvent(event))),
        this.logger,
        tail,
      );
      // The writer may have flushed some of them before the read reached the end: not twice.
      skip = tail.overlap(early.map((e) => e.line));
    }
    for (const e of early.slice(skip)) this.backlog.push(e.ts, ranks.next(e.ts), e.line);
    return ranks;
  }

  private add(ts: string, rank: number, line: string): void {
    this.backlog.push(ts, rank, line);
    this.pump();
  }

  get stats(): ShipperStats {
    return {
      acked_seq: this.state.acked_seq,
      next_seq: this.backlog.next,
      backlog: this.backlog.size,
      discarded_total: this.backlog.discardedTotal,
      messages_acked_total: this.acked,
      publish_failures_total: this.failed,
    };
  }

  /** Stops shipping (what is unshipped stays in the journal for the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.detach();
    clearTimeout(this.timer);
    clearTimeout(this.inFlight?.timeout);
    this.inFlight = undefined;
    await this.saving;
  }

  private pump(): void {
    if (this.stopped || this.inFlight !== undefined || this.timer !== undefined || this.backlog.size === 0) return;
    const wait = Math.max(this.bucket.waitMs(), this.retryAt - this.clock.now());
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      this.timer.unref();
      return;
    }
    let batch = takeBatch(this.backlog.waiting(), this.options.clientId, this.backlog.discardedTotal, this.maxBytes, this.sdkVersion);
    while ("oversized" in batch) {
      this.logger.warn({ seq: this.backlog.waiting()[0]?.seq, maxBytes: this.maxBytes }, "a journal event too large for one evidence message was discarded");
      this.backlog.discardFirst();
      if (this.backlog.size === 0) return;
      batch = takeBatch(this.backlog.waiting(), this.options.clientId, this.backlog.discardedTotal, this.maxBytes, this.sdkVersion);
    }
    this.bucket.tryTake();
    this.backlog.pin(batch.count);
    const attempt = ++this.attempts;
    const timeout =
      this.ackTimeoutMs > 0 ? setTimeout(() => this.settle(attempt, new Error(`no PUBACK within ${this.ackTimeoutMs} ms`)), this.ackTimeoutMs) : undefined;
    timeout?.unref();
    this.inFlight = { attempt, count: batch.count, timeout };
    this.options.publish(this.topic, batch.payload).then(
      () => this.settle(attempt),
      (err: unknown) => this.settle(attempt, err),
    );
  }

  private settle(attempt: number, err?: unknown): void {
    const flight = this.inFlight;
    if (flight === undefined || flight.attempt !== attempt) return; // a late answer to a retried message
    clearTimeout(flight.timeout);
    this.inFlight = undefined;
    if (err !== undefined) {
      this.failed++;
      this.failures++;
      this.backlog.pin(0);
      const delay = Math.min(this.retry.maxMs, this.retry.minMs * 2 ** Math.min(this.failures - 1, 20));
      this.retryAt = this.clock.now() + delay;
      if (this.failures === 1) this.logger.warn({ err, topic: this.topic, retryInMs: delay }, "evidence publish failed: retrying with backoff");
    } else {
      this.failures = 0;
      this.retryAt = 0;
      this.acked++;
      const last = this.backlog.acknowledge(flight.count);
      if (last !== undefined) {
        this.state = { acked_seq: last.seq, cursor_ts: last.ts, cursor_rank: last.rank, discarded_total: this.backlog.discardedTotal };
        const state = this.state;
        this.saving = this.saving
          .then(() => saveShipState(this.statePath, state))
          .catch((e: unknown) => this.logger.error({ err: e, path: this.statePath }, "evidence shipping state not saved"));
      }
    }
    this.pump();
  }
}
