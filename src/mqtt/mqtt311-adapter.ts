import type { mqtt } from "aws-iot-device-sdk-v2";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { InstrumentOptions } from "./mqtt5-adapter.js";
import { countingPublish } from "./publish-counter.js";
import { startStatisticsSampler } from "./statistics-sampler.js";

export interface InstrumentedMqtt311Connection {
  publish: mqtt.MqttClientConnection["publish"];
  detach(): void;
}

/**
 * Records an `mqtt.MqttClientConnection`'s lifecycle. `connection_success` fires for the first
 * connection and every reconnection (so `resume` is not counted again); `interrupt` is a drop.
 */
export function instrumentMqtt311Connection(
  connection: mqtt.MqttClientConnection,
  collector: MqttDiagnosticsCollector,
  options: InstrumentOptions = {},
): InstrumentedMqtt311Connection {
  let everConnected = false;
  let failuresSinceSuccess = 0;

  const statistics = startStatisticsSampler(() => connection.getOperationalStatistics(), collector, options.statisticsIntervalMs ?? 5000);
  const onSuccess = (result: mqtt.OnConnectionSuccessResult) => {
    collector.recordConnectionAttempt();
    collector.recordConnectionSuccess({
      eventType: everConnected ? "resumed" : "connected",
      sessionPresent: result.session_present,
      returnCode: result.reason_code ?? 0,
      attemptNumber: failuresSinceSuccess + 1,
    });
    everConnected = true;
    failuresSinceSuccess = 0;
  };
  const onFailure = (result: mqtt.OnConnectionFailedResult) => {
    failuresSinceSuccess++;
    collector.recordConnectionAttempt();
    collector.recordConnectionFailure({ error: result.error });
  };
  const onInterrupt = (error: Error) => {
    const stats = statistics.sample();
    collector.recordConnectionDrop({
      error,
      reconnectAttempt: failuresSinceSuccess,
      activeSubscriptions: options.activeSubscriptions?.() ?? 0,
      queuedCommands: stats?.incompleteOperationCount ?? 0,
    });
  };
  const onClosed = () => collector.recordConnectionStopped("client_stop");

  connection.on("connection_success", onSuccess);
  connection.on("connection_failure", onFailure);
  connection.on("interrupt", onInterrupt);
  connection.on("closed", onClosed);

  return {
    publish: countingPublish(connection.publish.bind(connection), collector),
    detach() {
      statistics.stop();
      connection.off("connection_success", onSuccess);
      connection.off("connection_failure", onFailure);
      connection.off("interrupt", onInterrupt);
      connection.off("closed", onClosed);
    },
  };
}
