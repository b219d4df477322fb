import { describe, expect, it } from "vitest";
import { defaultBrokerPort, errorText, RECONNECT_ATTEMPT_BUCKETS, reconnectAttemptBucket } from "../../../src/collector/constants.js";

describe("core constants", () => {
  it("bucket reconnect attempts as the original module does", () => {
    expect([0, 1, 2, 5, 6, 10, 11, 99].map(reconnectAttemptBucket)).toEqual(["1", "1", "2-5", "2-5", "6-10", "6-10", "11+", "11+"]);
    expect(RECONNECT_ATTEMPT_BUCKETS).toEqual(["1", "2-5", "6-10", "11+"]);
  });

  it("describe an error in words", () => {
    expect(errorText({ error_name: "AWS_IO_SOCKET_CLOSED", error_message: "" })).toBe("AWS_IO_SOCKET_CLOSED");
    expect(errorText({ error_name: null, error_message: "ECONNRESET" })).toBe("unknown error");
    expect(errorText({ error_name: null, error_message: null })).toBe("no error");
  });

  it("give the broker's default port by transport", () => {
    expect([defaultBrokerPort(true), defaultBrokerPort(false)]).toEqual([8883, 1883]);
  });
});
