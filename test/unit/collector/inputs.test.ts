import { describe, expect, expectTypeOf, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import type { CollectorOptions, DropInput, FailureInput, SuccessInput } from "../../../src/collector/inputs.js";

describe("recorder inputs", () => {
  it("are what the recorder's methods take", () => {
    expectTypeOf<Parameters<MqttDiagnosticsCollector["recordConnectionDrop"]>[0]>().toEqualTypeOf<DropInput | undefined>();
    expectTypeOf<Parameters<MqttDiagnosticsCollector["recordConnectionSuccess"]>[0]>().toEqualTypeOf<SuccessInput | undefined>();
    expectTypeOf<Parameters<MqttDiagnosticsCollector["recordConnectionFailure"]>[0]>().toEqualTypeOf<FailureInput | undefined>();
    expectTypeOf<ConstructorParameters<typeof MqttDiagnosticsCollector>[0]>().toEqualTypeOf<CollectorOptions | undefined>();
  });

  it("become the journal's snake_case fields, defaulted, when recorded", () => {
    const options: CollectorOptions = {
      connection: "c",
      clock: new ManualClock(0),
      maxEventsRetained: 5,
      logger: { warn: () => undefined, error: () => undefined },
    };
    const c = new MqttDiagnosticsCollector(options);
    const success: SuccessInput = { eventType: "connected", sessionPresent: false, keepAliveSeconds: 30, transport: "mtls", clientId: "dev-1" };
    expect(c.recordConnectionSuccess(success)).toMatchObject({ event_type: "connected", session_present: false });
    const drop: DropInput = { error: { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "hangup" }, reconnectAttempt: 2 };
    expect(c.recordConnectionDrop(drop)).toMatchObject({ error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, reconnect_attempt: 2 });
    const failure: FailureInput = { connackReasonCode: 135 };
    expect(c.recordConnectionFailure(failure)).toMatchObject({ connack_reason_code: 135 });
    expect(c.maxEventsRetained).toBe(5);
  });
});
