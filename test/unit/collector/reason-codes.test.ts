import { mqtt5 } from "aws-iot-device-sdk-v2";
import { describe, expect, it } from "vitest";
import { connackReasonName, disconnectReasonName, DisconnectReason } from "../../../src/collector/reason-codes.js";

describe("MQTT 5 reason codes", () => {
  it("our DISCONNECT constants are the SDK's codes", () => {
    const sdk = mqtt5.DisconnectReasonCode;
    expect(DisconnectReason).toEqual({
      NOT_AUTHORIZED: sdk.NotAuthorized,
      SERVER_BUSY: sdk.ServerBusy,
      SERVER_SHUTTING_DOWN: sdk.ServerShuttingDown,
      KEEP_ALIVE_TIMEOUT: sdk.KeepAliveTimeout,
      SESSION_TAKEN_OVER: sdk.SessionTakenOver,
      MESSAGE_RATE_TOO_HIGH: sdk.MessageRateTooHigh,
      QUOTA_EXCEEDED: sdk.QuotaExceeded,
      CONNECTION_RATE_EXCEEDED: sdk.ConnectionRateExceeded,
      MAXIMUM_CONNECT_TIME: sdk.MaximumConnectTime,
    });
  });

  it("names every code the SDK knows in snake_case (label values), and an unknown one by its hex", () => {
    const numeric = (e: object) => Object.values(e).filter((v): v is number => typeof v === "number");
    for (const code of numeric(mqtt5.DisconnectReasonCode)) expect(disconnectReasonName(code)).toMatch(/^[a-z][a-z0-9_]*$/);
    for (const code of numeric(mqtt5.ConnectReasonCode)) expect(connackReasonName(code)).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(disconnectReasonName(0x8e)).toBe("session_taken_over");
    expect(connackReasonName(0x87)).toBe("not_authorized");
    expect(disconnectReasonName(0x05)).toBe("reason_0x05");
  });
});
