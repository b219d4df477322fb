import { ManualClock } from "../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../src/collector/collector.js";
import type { JournalEvent } from "../../src/journal/events.js";

export const T0 = Date.parse("2026-03-01T00:00:00Z");

export const CRT = {
  hangup: ["AWS_ERROR_MQTT_UNEXPECTED_HANGUP", 5134],
  closed: ["AWS_IO_SOCKET_CLOSED", 1051],
  ping: ["AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT", 5152],
  timeout: ["AWS_ERROR_MQTT_TIMEOUT", 5129],
  refused: ["AWS_IO_SOCKET_CONNECTION_REFUSED", 1047],
  sockTimeout: ["AWS_IO_SOCKET_TIMEOUT", 1048],
  dns: ["AWS_IO_DNS_QUERY_FAILED", 1058],
  tls: ["AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE", 1029],
  disconnect: ["AWS_ERROR_MQTT5_DISCONNECT_RECEIVED", 5154],
  connackRefused: ["AWS_ERROR_MQTT5_CONNACK_CONNECTION_REFUSED", 5150],
  noCredentials: ["AWS_AUTH_SIGNING_NO_CREDENTIALS", 6146],
  upgradeRefused: ["AWS_ERROR_HTTP_WEBSOCKET_UPGRADE_FAILURE", 2065],
} as const;
export type CrtKey = keyof typeof CRT;

/** Builds a realistic journal (JSON Lines) step by step, with its own clock. */
export class JournalBuilder {
  t = T0;
  readonly lines: JournalEvent[] = [];
  private connected = false;

  wait(seconds: number): this {
    this.t += Math.round(seconds * 1000);
    return this;
  }
  private ts() {
    return new Date(this.t).toISOString();
  }
  success(keepAlive = 60): this {
    this.lines.push({
      ts: this.ts(),
      kind: "connection_success",
      event_type: this.connected || this.lines.length === 0 ? "connected" : "resumed",
      session_present: false,
      return_code: 0,
      attempt_number: 1,
      keep_alive_seconds: keepAlive,
    });
    this.connected = true;
    return this;
  }
  drop(err: CrtKey, reason?: number, attempt = 0): this {
    const [name, code] = CRT[err];
    this.lines.push({
      ts: this.ts(),
      kind: "connection_drop",
      error_name: name,
      error_message: `${name} message`,
      error_code: code,
      reconnect_attempt: attempt,
      active_subscriptions: 1,
      queued_commands: 0,
      ...(reason !== undefined ? { disconnect_reason_code: reason } : {}),
    });
    return this;
  }
  private awsVersion = 0;
  /**
   * AWS IoT Core's lifecycle event for what was just recorded (a drop: `disconnected` with
   * `reason`; `connect_failed` for a failure), `delayMs` after it by AWS's clock.
   */
  aws(reason: string, delayMs = 150, eventType: "disconnected" | "connect_failed" = "disconnected"): this {
    const n = ++this.awsVersion;
    const base = {
      ts: this.ts(),
      kind: "lifecycle" as const,
      clientId: "device-1",
      timestamp: this.t + delayMs,
      eventType,
      sessionIdentifier: `s-${n}`,
      principalIdentifier: "p",
    };
    this.lines.push(
      eventType === "disconnected"
        ? { ...base, clientInitiatedDisconnect: reason === "CLIENT_INITIATED_DISCONNECT", disconnectReason: reason, versionNumber: n }
        : { ...base, connectFailureReason: reason, ipAddress: "198.51.100.1" },
    );
    return this;
  }
  /** Another device's connection with our client ID, as AWS reports it. */
  foreign(ip: string, delayMs = 0): this {
    const n = ++this.awsVersion;
    this.lines.push({
      ts: this.ts(),
      kind: "lifecycle",
      clientId: "device-1",
      timestamp: this.t + delayMs,
      eventType: "connected",
      sessionIdentifier: `s-${n}`,
      principalIdentifier: "p-other",
      ipAddress: ip,
      versionNumber: n,
    });
    return this;
  }
  failure(err: CrtKey, connack?: number): this {
    const [name, code] = CRT[err];
    this.lines.push({
      ts: this.ts(),
      kind: "connection_failure",
      error_name: name,
      error_message: null,
      error_code: code,
      ...(connack !== undefined ? { connack_reason_code: connack } : {}),
    });
    return this;
  }
  /** `n` sessions of `length` seconds each ending with `err`, reconnecting after `gap` s. */
  cycles(n: number, length: number | (() => number), err: CrtKey, gap = 2, reason?: number, keepAlive = 60): this {
    for (let i = 0; i < n; i++) {
      this.success(keepAlive)
        .wait(typeof length === "number" ? length : length())
        .drop(err, reason)
        .wait(gap);
    }
    return this.success(keepAlive);
  }
  jsonl(): string {
    return this.lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
  }
  collector(): MqttDiagnosticsCollector {
    const clock = new ManualClock(this.t);
    const c = new MqttDiagnosticsCollector({ clock, connection: "device-1" });
    for (const l of this.lines) c.apply(l);
    // A minute on: every lifecycle event's join window has passed.
    clock.set(this.t + (this.awsVersion > 0 ? 60_000 : 1000));
    c.settleLifecycle();
    return c;
  }
}

/** A deterministic pseudo-random sequence (tests must not be flaky). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
