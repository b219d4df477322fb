import { io } from "aws-iot-device-sdk-v2";
import { describe, expect, it } from "vitest";
import { DisconnectReason } from "../../../src/collector/reason-codes.js";
import { AUTH_CONNACK, HANGUPS, NETWORK_ERRORS, PING_TIMEOUTS, THROTTLE_CONNACK, THROTTLE_REASONS, TLS_REFUSALS } from "../../../src/diagnosis/signals.js";

/** Every error name the installed aws-crt can report (its codes lie well below 20,000). */
function crtErrorNames(): Set<string> {
  const names = new Set<string>();
  for (let code = 0; code < 20_000; code++) names.add(io.error_code_to_name(code));
  return names;
}

describe("diagnosis signals", () => {
  it("name only errors aws-crt really reports (a typo would never match a drop)", () => {
    const known = crtErrorNames();
    const unknown = [...PING_TIMEOUTS, ...HANGUPS, ...NETWORK_ERRORS, ...TLS_REFUSALS].filter((n) => !known.has(n));
    expect(unknown).toEqual([]);
  });

  it("keep timeouts apart from refusals: a handshake that timed out is network evidence, never auth", () => {
    for (const n of [...PING_TIMEOUTS, "AWS_IO_TLS_NEGOTIATION_TIMEOUT", "AWS_ERROR_MQTT5_CONNACK_TIMEOUT"]) {
      expect(NETWORK_ERRORS.has(n)).toBe(true);
      expect(TLS_REFUSALS.has(n)).toBe(false);
    }
  });

  it("throttling and auth reason codes do not overlap", () => {
    expect(THROTTLE_REASONS.has(DisconnectReason.NOT_AUTHORIZED)).toBe(false);
    expect([...AUTH_CONNACK].filter((c) => THROTTLE_CONNACK.has(c))).toEqual([]);
  });
});
