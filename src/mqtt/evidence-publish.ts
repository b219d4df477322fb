import type { mqtt, mqtt5 } from "aws-iot-device-sdk-v2";

// The SDK's enum values as numbers, so that importing the library loads no aws-crt (the app's
// client has loaded it by the time a publisher exists). QoS 1: MQTT's AT_LEAST_ONCE; payload
// format 1: UTF-8 (MQTT 5, 3.3.2.3.2).
const AT_LEAST_ONCE = 1 as mqtt5.QoS & mqtt.QoS;
const UTF8 = 1 as mqtt5.PayloadFormatIndicator;

/** Publishes one evidence message QoS 1; resolves when the broker acknowledged it (PUBACK). */
export type EvidencePublish = (topic: string, payload: string) => Promise<void>;

/** PUBACK reason codes from 0x80 up are refusals (MQTT 5, 3.4.2.1): not delivered. */
const REFUSED = 0x80;

/**
 * Over an `mqtt5.Mqtt5Client` the app already has. While it is offline the SDK holds QoS 1
 * publishes (its default offline queue policy) and sends them once it is back.
 */
export function mqtt5Publisher(client: mqtt5.Mqtt5Client): EvidencePublish {
  return async (topic, payload) => {
    const puback = await client.publish({ topicName: topic, qos: AT_LEAST_ONCE, payload, payloadFormat: UTF8 });
    if (puback !== undefined && Number(puback.reasonCode) >= REFUSED)
      throw new Error(`PUBACK reason code ${puback.reasonCode}${puback.reasonString === undefined ? "" : ` (${puback.reasonString})`}`);
  };
}

/** Over an `mqtt.MqttClientConnection` (MQTT 3.1.1) the app already has. */
export function mqtt311Publisher(connection: mqtt.MqttClientConnection): EvidencePublish {
  return async (topic, payload) => {
    await connection.publish(topic, payload, AT_LEAST_ONCE);
  };
}
