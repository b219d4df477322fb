import { describe, expect, it } from "vitest";
import { io } from "aws-iot-device-sdk-v2";
import { crtErrorFromMessage } from "../../../src/mqtt/crt-error.js";

describe("crtErrorFromMessage", () => {
  it("recovers the CRT name and code from MQTT 3.1.1's connect() rejection text", () => {
    const e = crtErrorFromMessage("Failed to connect: aws-c-io: AWS_IO_SOCKET_CLOSED, socket is closed.");
    expect(e).toMatchObject({ error_name: "AWS_IO_SOCKET_CLOSED" });
    expect("error_code" in e && io.error_code_to_name(e.error_code)).toBe("AWS_IO_SOCKET_CLOSED");
  });

  it("keeps only the message when no CRT name is in it, or the name is not aws-crt's", () => {
    expect(crtErrorFromMessage("Server rejected connection.")).toEqual({ message: "Server rejected connection." });
    expect(crtErrorFromMessage("Failed: AWS_NOT_A_REAL_ERROR")).toEqual({ message: "Failed: AWS_NOT_A_REAL_ERROR" });
  });
});
