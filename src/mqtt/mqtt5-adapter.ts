import type { mqtt5 } from "aws-iot-device-sdk-v2";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import { CallbackOrder } from "./callback-order.js";
import { listenTo } from "./listeners.js";
import { countingPublish } from "./publish-counter.js";
import { startStatisticsSampler } from "./statistics-sampler.js";

/** The options of `instrumentMqtt5Client` (and, with `reconnect`, of `instrumentMqtt311Connection`). */
export interface ClientAdapterOptions {
  /** How often to sample `getOperationalStatistics()` (ms; default 5000, 0 = only at drops). */
  statisticsIntervalMs?: number;
  /** Active subscriptions at the time of a drop, when the application tracks them. */
  activeSubscriptions?: () => number;
  /** The client ID, journaled on each success so AWS's lifecycle events can be matched to it. */
  clientId?: string;
  /** Recorded on each success (`transport`): `mtls`, `mtls_alpn`, `websocket_sigv4`, `custom_auth` or `tcp`. */
  transport?: string;
}

export interface Mqtt5ClientAdapter {
  /** The client's `publish`, counted from the SDK's result: published, queued or rejected. */
  publish: mqtt5.Mqtt5Client["publish"];
  /** Stops listening (recording a stop if a session is open); the client itself is left alone. */
  detach: () => void;
}

// The client reports its own stop() as a disconnection with this error: not a drop.
const USER_REQUESTED_STOP = "AWS_ERROR_MQTT5_USER_REQUESTED_STOP";

/**
 * Records an `mqtt5.Mqtt5Client`'s lifecycle in the collector. `connected` the first time,
 * `resumed` after a drop; `reconnect_attempt` counts failed attempts since the last success.
 * Attach before `client.start()`: the order of successes and drops is rebuilt from the session
 * the adapter saw begin (see CallbackOrder).
 */
export function instrumentMqtt5Client(client: mqtt5.Mqtt5Client, collector: MqttDiagnosticsCollector, options: ClientAdapterOptions = {}): Mqtt5ClientAdapter {
  let everConnected = false;
  let attemptsSinceSuccess = 0;
  let failuresSinceSuccess = 0;
  const order = new CallbackOrder();

  const statistics = startStatisticsSampler(() => client.getOperationalStatistics(), collector, options.statisticsIntervalMs ?? 5000);

  const onAttempt = () => {
    attemptsSinceSuccess++;
    collector.recordConnectionAttempt();
  };
  const onSuccess = (e: mqtt5.ConnectionSuccessEvent) =>
    order.success(() => {
      collector.recordConnectionSuccess({
        eventType: everConnected ? "resumed" : "connected",
        sessionPresent: e.connack.sessionPresent || e.settings.rejoinedSession,
        returnCode: e.connack.reasonCode,
        attemptNumber: attemptsSinceSuccess,
        keepAliveSeconds: e.settings.serverKeepAlive,
        transport: options.transport,
        clientId: options.clientId ?? null,
      });
      everConnected = true;
      attemptsSinceSuccess = 0;
      failuresSinceSuccess = 0;
    });
  const onFailure = (e: mqtt5.ConnectionFailureEvent) => {
    failuresSinceSuccess++;
    collector.recordConnectionFailure({ error: e.error, connackReasonCode: e.connack?.reasonCode ?? null });
  };
  const onDisconnection = (e: mqtt5.DisconnectionEvent) => {
    if (e.error.error_name === USER_REQUESTED_STOP) {
      // The session ends by the user's stop(): `stopped` records it. Only an open session is closed
      // here: after `stopped` (delivered first, its queue is older) there is none to close.
      if (order.connected) order.drop(() => undefined);
      return;
    }
    order.drop(() => {
      const stats = statistics.sample();
      collector.recordConnectionDrop({
        error: e.error,
        disconnectReasonCode: e.disconnect?.reasonCode ?? null,
        reconnectAttempt: failuresSinceSuccess,
        activeSubscriptions: options.activeSubscriptions?.() ?? 0,
        queuedCommands: stats?.incompleteOperationCount ?? 0,
      });
    });
  };
  const onStopped = () => {
    order.reset();
    collector.recordConnectionStopped("client_stop");
  };

  const stopListening = listenTo(client, {
    attemptingConnect: onAttempt,
    connectionSuccess: onSuccess,
    connectionFailure: onFailure,
    disconnection: onDisconnection,
    stopped: onStopped,
  });

  return {
    publish: countingPublish(client.publish.bind(client), collector),
    detach() {
      statistics.stop();
      stopListening();
      order.reset();
      // Nothing is watched from here on: an open session ends for the collector now, or it
      // would read as connected (uptime growing) after the client's stop() that usually follows.
      if (collector.isConnected) collector.recordConnectionStopped("detached");
    },
  };
}
