import type { MqttDiagnosticsCollector } from "../collector/collector.js";

/** The name under which inferred failed reconnects are counted: never an SDK error name. */
export const INFERRED_FAILURE_NAME = "MQTT311_RECONNECT_FAILED_INFERRED";
// No CRT code exists for an inferred failure; -1 is none of aws-crt's (all are positive).
const INFERRED_FAILURE_CODE = -1;
const INFERRED_FAILURE_MESSAGE =
  "inferred: aws-crt's MQTT 3.1.1 client reports no failed automatic reconnect; the next attempt was due by its reconnect backoff and no session had begun";

export interface BackoffSettings {
  /** The connection's `reconnect_min_sec` and `reconnect_max_sec` (aws-crt defaults: 1 and 128). */
  minSeconds: number;
  maxSeconds: number;
}

/**
 * While an MQTT 3.1.1 connection is down, counts the automatic reconnect attempts its backoff
 * schedules (first after `minSeconds`, each next one after twice the previous delay, at most
 * `maxSeconds`), since aws-crt emits no event for a failed one. An attempt that came due with no
 * session begun means the one before it failed: that failure is recorded under
 * INFERRED_FAILURE_NAME. Attempts that take long (a TLS timeout) make the SDK's real schedule
 * slower, so the inferred figures are an upper bound; a real `connection_failure` (aws-crt sends
 * the first one of a connection) takes the place of an inferred one.
 */
export class ReconnectInference {
  private timer: NodeJS.Timeout | undefined;
  private delayMs = 0;
  private attempts = 0;
  private realFailures = 0;

  constructor(
    private readonly collector: MqttDiagnosticsCollector,
    private readonly backoff: BackoffSettings,
  ) {}

  /** The connection dropped: the SDK starts its backoff. */
  dropped(): void {
    this.stop();
    this.attempts = 0;
    this.realFailures = 0;
    this.delayMs = this.backoff.minSeconds * 1000;
    this.schedule();
  }

  /** The SDK reported a failed reconnect itself. */
  realFailure(): void {
    this.realFailures++;
  }

  /**
   * A session began again; returns how many attempts it took (at least 1). The successful attempt
   * is the last one counted, or a new one when none had come due yet (it is counted here).
   */
  succeeded(): number {
    const wasWaiting = this.timer !== undefined;
    this.stop();
    if (!wasWaiting) return 1;
    if (this.attempts === 0) {
      this.collector.recordConnectionAttempt();
      return 1;
    }
    return this.attempts;
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.due(), this.delayMs);
    this.timer.unref();
  }

  private due(): void {
    if (this.attempts > 0) {
      if (this.realFailures > 0) this.realFailures--;
      else
        this.collector.recordConnectionFailure({
          error: { error_name: INFERRED_FAILURE_NAME, error_code: INFERRED_FAILURE_CODE, message: INFERRED_FAILURE_MESSAGE },
        });
    }
    this.attempts++;
    this.collector.recordConnectionAttempt();
    this.delayMs = Math.min(this.delayMs * 2, this.backoff.maxSeconds * 1000);
    this.schedule();
  }
}
