import type { mqtt5 } from "aws-iot-device-sdk-v2";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import { countingPublish } from "./publish-counter.js";
import { startStatisticsSampler } from "./statistics-sampler.js";

export interface InstrumentOptions {
  /** How often to sample `getOperationalStatistics()` (ms; default 5000, 0 = only at drops). */
  statisticsIntervalMs?: number;
  /** Active subscriptions at the time of a drop, when the application tracks them. */
  activeSubscriptions?: () => number;
}

export interface InstrumentedMqtt5Client {
  /** The client's `publish`, counted as published or queued. */
  publish: mqtt5.Mqtt5Client["publish"];
  /** Stops listening; the client itself is left alone. */
  detach(): void;
}

// The client reports its own stop() as a disconnection with this error: not a drop.
const USER_REQUESTED_STOP = "AWS_ERROR_MQTT5_USER_REQUESTED_STOP";

/**
 * Records an `mqtt5.Mqtt5Client`'s lifecycle in the collector. `connected` the first time,
 * `resumed` after a drop; `reconnect_attempt` counts failed attempts since the last success.
 */
export function instrumentMqtt5Client(client: mqtt5.Mqtt5Client, collector: MqttDiagnosticsCollector, options: InstrumentOptions = {}): InstrumentedMqtt5Client {
  let everConnected = false;
  let attemptsSinceSuccess = 0;
  let failuresSinceSuccess = 0;

  const statistics = startStatisticsSampler(() => client.getOperationalStatistics(), collector, options.statisticsIntervalMs ?? 5000);

  const onAttempt = () => {
    attemptsSinceSuccess++;
    collector.recordConnectionAttempt();
  };
  const onSuccess = (e: mqtt5.ConnectionSuccessEvent) => {
    collector.recordConnectionSuccess({
      eventType: everConnected ? "resumed" : "connected",
      sessionPresent: e.connack.sessionPresent || e.settings.rejoinedSession,
      returnCode: e.connack.reasonCode,
      attemptNumber: attemptsSinceSuccess,
      keepAliveSeconds: e.settings.serverKeepAlive,
    });
    everConnected = true;
    attemptsSinceSuccess = 0;
    failuresSinceSuccess = 0;
  };
  const onFailure = (e: mqtt5.ConnectionFailureEvent) => {
    failuresSinceSuccess++;
    collector.recordConnectionFailure({ error: e.error, connackReasonCode: e.connack?.reasonCode ?? null });
  };
  const onDisconnection = (e: mqtt5.DisconnectionEvent) => {
    if (e.error.error_name === USER_REQUESTED_STOP) return;
    const stats = statistics.sample();
    collector.recordConnectionDrop({
      error: e.error,
      disconnectReasonCode: e.disconnect?.reasonCode ?? null,
      reconnectAttempt: failuresSinceSuccess,
      activeSubscriptions: options.activeSubscriptions?.() ?? 0,
      queuedCommands: stats?.incompleteOperationCount ?? 0,
    });
  };
  const onStopped = () => collector.recordConnectionStopped("client_stop");

  client.on("attemptingConnect", onAttempt);
  client.on("connectionSuccess", onSuccess);
  client.on("connectionFailure", onFailure);
  client.on("disconnection", onDisconnection);
  client.on("stopped", onStopped);

  return {
    publish: countingPublish(client.publish.bind(client), collector),
    detach() {
      statistics.stop();
      client.off("attemptingConnect", onAttempt);
      client.off("connectionSuccess", onSuccess);
      client.off("connectionFailure", onFailure);
      client.off("disconnection", onDisconnection);
      client.off("stopped", onStopped);
    },
  };
}
