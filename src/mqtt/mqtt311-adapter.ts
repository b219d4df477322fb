import type { mqtt } from "aws-iot-device-sdk-v2";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import { crtErrorFromMessage } from "./crt-error.js";
import { CallbackOrder } from "./callback-order.js";
import { listenTo } from "./listeners.js";
import type { ClientAdapterOptions } from "./mqtt5-adapter.js";
import { countingPublish } from "./publish-counter.js";
import { type BackoffSettings, ReconnectInference } from "./reconnect-inference.js";
import { startStatisticsSampler } from "./statistics-sampler.js";

export interface Mqtt311AdapterOptions extends ClientAdapterOptions {
  /** The connection's reconnect backoff, to infer the attempts aws-crt does not report (default: its `reconnect_min_sec`/`reconnect_max_sec`, else 1 and 128). */
  reconnect?: BackoffSettings;
}

export interface Mqtt311ConnectionAdapter {
  /** The connection's `publish`, counted from the SDK's result: published, queued or rejected. */
  publish: mqtt.MqttClientConnection["publish"];
  /** Stops listening (recording a stop if a session is open); the connection itself is left alone. */
  detach: () => void;
}

// The connect() promise's rejections, as its `error` event carries them (other operations fail with "Failed to publish: ..." and so on).
const CONNECT_FAILED = /^(Failed to connect|Server rejected connection)/;

function backoffOf(connection: mqtt.MqttClientConnection): BackoffSettings {
  // `config` is private in aws-crt's typings but set by its constructor.
  const config = (connection as unknown as { config?: { reconnect_min_sec?: number; reconnect_max_sec?: number } }).config;
  const minSeconds = config?.reconnect_min_sec ?? 1;
  return { minSeconds, maxSeconds: Math.max(minSeconds, config?.reconnect_max_sec ?? 128) };
}

/**
 * Records MQTT 3.1.1 connections' lifecycles in one collector, across connection objects: after a
 * failed `connect()` aws-crt's 3.1.1 binding reports nothing more of that object (no success, no
 * interrupt: its failure callback is released after first use), so a caller retries with a fresh
 * object and attaches it here; attempt counts carry over.
 */
export class Mqtt311Recorder {
  private everConnected = false;
  private failuresSinceSuccess = 0;
  private readonly order = new CallbackOrder();
  private readonly inference: ReconnectInference;

  constructor(
    private readonly collector: MqttDiagnosticsCollector,
    private readonly options: Mqtt311AdapterOptions,
    backoff: BackoffSettings,
  ) {
    this.inference = new ReconnectInference(collector, options.reconnect ?? backoff);
  }

  /** Listens to one connection object; returns its detach. */
  attach(connection: mqtt.MqttClientConnection): () => void {
    const c = this.collector;
    const statistics = startStatisticsSampler(() => connection.getOperationalStatistics(), c, this.options.statisticsIntervalMs ?? 5000);
    // The connect() call's outcome arrives twice on a healthy object (connection_success/failure
    // and the promise's connect/error events) and once on an object whose first connect() failed:
    // each outcome is recorded once, from whichever arrives first.
    let successes = 0;
    let connectEventSeen = false;
    let failureEventUnpaired = false;
    let errorEventUnpaired = false;
    let failureEventSeen = false;

    const connectSuccess = (sessionPresent: boolean, returnCode: number) => {
      c.recordConnectionAttempt();
      this.success(sessionPresent, returnCode, this.failuresSinceSuccess + 1);
    };
    const onSuccess = (r: mqtt.OnConnectionSuccessResult) => {
      successes++;
      if (successes === 1) {
        if (!connectEventSeen) connectSuccess(r.session_present, r.reason_code ?? 0);
        return;
      }
      this.success(r.session_present, r.reason_code ?? 0, this.inference.succeeded());
    };
    const onConnect = (sessionPresent: boolean) => {
      connectEventSeen = true;
      if (successes === 0) connectSuccess(sessionPresent, 0);
    };
    const connectFailure = (error: unknown) => {
      this.failuresSinceSuccess++;
      c.recordConnectionAttempt();
      c.recordConnectionFailure({ error });
    };
    const onFailure = (r: mqtt.OnConnectionFailedResult) => {
      failureEventSeen = true;
      if (successes > 0) {
        // A failed automatic reconnect (aws-crt reports only the first of a connection object).
        this.failuresSinceSuccess++;
        c.recordConnectionFailure({ error: r.error });
        this.inference.realFailure();
        return;
      }
      if (errorEventUnpaired) errorEventUnpaired = false;
      else {
        failureEventUnpaired = true;
        connectFailure(r.error);
      }
    };
    const onError = (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (successes > 0 || connectEventSeen || !CONNECT_FAILED.test(message)) return;
      if (failureEventUnpaired) failureEventUnpaired = false;
      else {
        errorEventUnpaired = !failureEventSeen;
        connectFailure(crtErrorFromMessage(message));
      }
    };
    const onInterrupt = (error: Error) => {
      this.order.drop(() => {
        const stats = statistics.sample();
        c.recordConnectionDrop({
          error,
          reconnectAttempt: this.failuresSinceSuccess,
          activeSubscriptions: this.options.activeSubscriptions?.() ?? 0,
          queuedCommands: stats?.incompleteOperationCount ?? 0,
        });
        this.inference.dropped();
      });
    };
    const onClosed = () => this.stopped("client_stop");

    const stopListening = listenTo(connection, {
      connection_success: onSuccess,
      connect: onConnect,
      connection_failure: onFailure,
      error: onError,
      interrupt: onInterrupt,
      closed: onClosed,
    });
    return () => {
      statistics.stop();
      stopListening();
    };
  }

  /** A clean end: the connection was closed, or is no longer watched while a session is open. */
  stopped(reason: string): void {
    const open = this.collector.isConnected;
    this.order.reset();
    this.inference.stop();
    if (reason === "client_stop" || open) this.collector.recordConnectionStopped(reason);
  }

  private success(sessionPresent: boolean, returnCode: number, attemptNumber: number): void {
    this.order.success(() => {
      this.collector.recordConnectionSuccess({
        eventType: this.everConnected ? "resumed" : "connected",
        sessionPresent,
        returnCode,
        attemptNumber,
        transport: this.options.transport,
        clientId: this.options.clientId ?? null,
      });
      this.everConnected = true;
      this.failuresSinceSuccess = 0;
    });
  }
}

/**
 * Records an `mqtt.MqttClientConnection`'s lifecycle. The first connection comes from `connect()`
 * (its promise's `connect`/`error` events and `connection_success`/`connection_failure`), later
 * ones from automatic reconnects (`connection_success` is a resume; `interrupt` is a drop).
 * aws-crt reports no failed automatic reconnect: those are inferred (see ReconnectInference).
 */
export function instrumentMqtt311Connection(
  connection: mqtt.MqttClientConnection,
  collector: MqttDiagnosticsCollector,
  options: Mqtt311AdapterOptions = {},
): Mqtt311ConnectionAdapter {
  const recorder = new Mqtt311Recorder(collector, options, backoffOf(connection));
  const detachConnection = recorder.attach(connection);
  return {
    publish: countingPublish(connection.publish.bind(connection), collector),
    detach() {
      detachConnection();
      recorder.stopped("detached");
    },
  };
}
