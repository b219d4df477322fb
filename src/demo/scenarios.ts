import { mqtt5 } from "aws-iot-device-sdk-v2";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { ConnectionConfig } from "../config/schema.js";
import type { CauseId } from "../diagnosis/types.js";
import type { AwsIotEmulator } from "../emulator/emulator.js";
import { buildMqtt5Client } from "../mqtt/build-clients.js";
import type { DemoScenario } from "./scenario-names.js";

export { DEMO_SCENARIOS, type DemoScenario } from "./scenario-names.js";

/**
 * The diagnosis each scenario should lead to. keep_alive_timeout: the client sees only a ping
 * timeout; AWS's MQTT_KEEP_ALIVE_TIMEOUT, joined to that drop, says the path went silent, which
 * the diagnosis reads as the link dying (no regular session length pointing at an idle timeout).
 */
export const SCENARIO_CAUSE: Readonly<Record<DemoScenario, CauseId>> = {
  network_cut: "network_unstable",
  duplicate_client_id: "duplicate_client_id",
  keep_alive_timeout: "network_unstable",
  throttling: "server_throttling",
  policy_deny: "auth_or_policy",
  connection_ttl: "aws_connection_ttl",
  server_maintenance: "server_maintenance",
};

export interface ScenarioContext {
  emulator: AwsIotEmulator;
  connection: ConnectionConfig;
  collector: MqttDiagnosticsCollector;
  /** How long outages and refusals last (ms). */
  outageMs: number;
  /** Waits until `done()` or `maxMs`, or until the demo stops. */
  until(done: () => boolean, maxMs: number): Promise<void>;
  sleep(ms: number): Promise<void>;
}

const dropsOf = (c: MqttDiagnosticsCollector) => c.totals.total_connection_drops;

/** Plays one scenario to its end: the demo client is connected again (or has been given the time to be). */
export async function playScenario(s: DemoScenario, x: ScenarioContext): Promise<void> {
  const id = x.connection.client_id;
  const before = dropsOf(x.collector);
  const dropped = () => dropsOf(x.collector) > before;
  switch (s) {
    case "network_cut":
      // The link goes down: the session is lost and reconnects fail until it is back.
      x.emulator.setNetworkDown(true);
      await x.sleep(x.outageMs);
      x.emulator.setNetworkDown(false);
      break;
    case "duplicate_client_id": {
      // A second device with the same client ID: each connect throws the other out (DISCONNECT 0x8E).
      const intruder = buildMqtt5Client({ ...x.connection, probe: undefined });
      intruder.on("error", () => undefined);
      intruder.start();
      await x.until(() => dropsOf(x.collector) >= before + 3, x.outageMs * 2);
      const stopped = new Promise((r) => intruder.once("stopped", r));
      intruder.stop({ reasonCode: mqtt5.DisconnectReasonCode.NormalDisconnection });
      await Promise.race([stopped, x.sleep(3000)]);
      intruder.close();
      break;
    }
    case "keep_alive_timeout": {
      // A silent outage: the client gives up on its ping, AWS on its keep-alive timer (1.5x).
      const seen = x.emulator.events.length;
      const awsGaveUp = () => x.emulator.events.slice(seen).some((e) => e.eventType === "disconnected" && e.disconnectReason === "MQTT_KEEP_ALIVE_TIMEOUT");
      x.emulator.setBlackhole(true);
      await x.until(awsGaveUp, (x.connection.keep_alive_seconds * 2 + 10) * 1000);
      x.emulator.setBlackhole(false);
      break;
    }
    case "throttling": {
      // A burst over the publish limit (the probe's next publish stands in for it: the limit is
      // lowered below it), then reconnects inside the one-CONNECT-per-second limit.
      const limits = x.emulator.limits;
      const saved = { publishesPerSecond: limits.publishesPerSecond, connectIntervalMs: limits.connectIntervalMs };
      limits.publishesPerSecond = 0;
      limits.connectIntervalMs = x.outageMs / 2;
      await x.until(dropped, x.outageMs * 3);
      limits.publishesPerSecond = saved.publishesPerSecond;
      await x.sleep(x.outageMs / 2);
      limits.connectIntervalMs = saved.connectIntervalMs;
      break;
    }
    case "policy_deny": {
      // The policy stops allowing the probe's topic and then the client ID itself: DISCONNECT 0x87, then CONNACK 0x87.
      const topic = x.connection.probe?.topic ?? "#";
      x.emulator.deny.topics.add(topic);
      x.emulator.deny.clientIds.add(id);
      await x.until(dropped, x.outageMs * 3);
      if (!dropped()) x.emulator.disconnect(id, "FORBIDDEN_ACCESS");
      // The refusal lasts its time and, on a slow machine, until an attempt has been refused.
      const failures = x.collector.connectionFailures;
      await x.sleep(x.outageMs);
      await x.until(() => x.collector.connectionFailures > failures, x.outageMs * 3);
      x.emulator.deny.topics.delete(topic);
      x.emulator.deny.clientIds.delete(id);
      break;
    }
    case "connection_ttl":
      // The WebSocket connection's 24 hours are up: closed at its next packet (0xA0).
      x.emulator.ttl = { seconds: 0, reason: "WEBSOCKET_TTL_EXPIRATION" };
      await x.until(dropped, x.outageMs * 3);
      x.emulator.ttl = undefined;
      break;
    case "server_maintenance":
      x.emulator.disconnect(id, "SERVER_INITIATED_DISCONNECT");
      await x.until(dropped, 5000);
      break;
  }
  await x.until(() => x.collector.isConnected, 30_000);
}
