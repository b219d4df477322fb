import { describe, expect, it } from "vitest";
import {
  bounded,
  boundName,
  describeError,
  errorLabel,
  errorText,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_NAME_LENGTH,
  NO_ERROR_LABEL,
  truncateMessage,
  UNKNOWN_ERROR_LABEL,
} from "../../../src/collector/error-info.js";

describe("describeError", () => {
  it("keeps a CRT error's name, code and message", () => {
    const crt = Object.assign(new Error("The connection was closed unexpectedly."), { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134 });
    expect(describeError(crt)).toEqual({
      error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
      error_message: "The connection was closed unexpectedly.",
      error_code: 5134,
    });
  });

  it("keeps only the message of anything else, as the original module does", () => {
    expect(describeError(new TypeError("boom"))).toEqual({ error_name: null, error_message: "boom", error_code: null });
    // An empty CRT name is no name (the original's `if error_name:`).
    expect(describeError({ error_name: "", error_code: 1, message: "m" })).toEqual({ error_name: null, error_message: "m", error_code: null });
    expect(describeError("text")).toEqual({ error_name: null, error_message: "text", error_code: null });
    expect(describeError(42)).toEqual({ error_name: null, error_message: "42", error_code: null });
    expect(describeError(Symbol("s")).error_message).toBe("symbol");
    expect(describeError(undefined)).toEqual({ error_name: null, error_message: null, error_code: null });
    expect(describeError(null)).toEqual({ error_name: null, error_message: null, error_code: null });
  });

  it("bounds names and messages", () => {
    const info = describeError({ error_name: "N".repeat(1000), error_code: 1, message: "m".repeat(5000) });
    expect(info.error_name).toHaveLength(MAX_NAME_LENGTH);
    expect(info.error_message).toHaveLength(MAX_ERROR_MESSAGE_LENGTH);
    expect(info.error_message?.endsWith("…")).toBe(true);
  });
});

describe("truncateMessage, bounded, boundName", () => {
  it("redacts PEM blocks, closed or cut off", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIGHAgEA\n-----END PRIVATE KEY-----";
    expect(truncateMessage(`bad key ${pem} here`)).toBe("bad key [PEM redacted] here");
    expect(truncateMessage("cert -----BEGIN CERTIFICATE-----\nMIIB")).toBe("cert [PEM redacted]");
    expect(truncateMessage(null)).toBeNull();
  });

  it("cuts to the limit with an ellipsis, and leaves short text and null alone", () => {
    expect(bounded("abcdef", 4)).toBe("abc…");
    expect(bounded("abcd", 4)).toBe("abcd");
    expect(boundName(null)).toBeNull();
    expect(boundName("short")).toBe("short");
  });
});

describe("errorLabel", () => {
  it("is the CRT name, 'unknown' for another error, 'none' without one", () => {
    expect(errorLabel({ error_name: "AWS_IO_SOCKET_TIMEOUT", error_message: "t" })).toBe("AWS_IO_SOCKET_TIMEOUT");
    expect(errorLabel({ error_name: null, error_message: "boom" })).toBe(UNKNOWN_ERROR_LABEL);
    expect(errorLabel({ error_name: null, error_message: null })).toBe(NO_ERROR_LABEL);
  });
});

describe("errorText", () => {
  it("describes an error in words", () => {
    expect(errorText({ error_name: "AWS_IO_SOCKET_CLOSED", error_message: "" })).toBe("AWS_IO_SOCKET_CLOSED");
    expect(errorText({ error_name: null, error_message: "ECONNRESET" })).toBe("unknown error");
    expect(errorText({ error_name: null, error_message: null })).toBe("no error");
  });
});
