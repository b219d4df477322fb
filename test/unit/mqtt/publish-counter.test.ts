import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { countingPublish } from "../../../src/mqtt/publish-counter.js";

const OFFLINE =
  "libaws-c-mqtt: AWS_ERROR_MQTT5_OPERATION_FAILED_DUE_TO_OFFLINE_QUEUE_POLICY, Mqtt5 operation failed due to a disconnection event in conjunction with the client's offline queue retention policy.";

function setup() {
  return new MqttDiagnosticsCollector({ clock: new ManualClock(Date.parse("2026-03-01T12:00:00Z")) });
}

// Lets the adapter's own then() run after the caller's promise settles.
const settled = () => new Promise((r) => setImmediate(r));

describe("countingPublish", () => {
  it("connected at the call: published, at once", () => {
    const c = setup();
    c.recordConnectionSuccess();
    void countingPublish(() => new Promise<void>(() => undefined), c)();
    expect(c.totals.messages_published).toBe(1);
    expect(c.totals.messages_queued).toBe(0);
  });

  it("offline: queued when the SDK holds it and sends it later", async () => {
    const c = setup();
    await countingPublish(() => Promise.resolve("puback"), c)();
    await settled();
    expect(c.totals.messages_queued).toBe(1);
  });

  it("offline: rejected, not queued, when the offline queue policy refused it (string or CRT error)", async () => {
    const c = setup();
    // aws-crt rejects publishes with strings as well as errors: both shapes are fed as they come.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    const refuse = countingPublish((err: unknown) => Promise.reject(err), c);
    await expect(refuse(OFFLINE)).rejects.toBe(OFFLINE);
    const crt = Object.assign(new Error("refused"), { error_name: "AWS_ERROR_MQTT5_OPERATION_FAILED_DUE_TO_OFFLINE_QUEUE_POLICY", error_code: 5153 });
    await expect(refuse(crt)).rejects.toBe(crt);
    await settled();
    expect(c.publishesRejected).toBe(2);
    expect(c.totals.messages_queued).toBe(0);
    expect(c.totals.messages_published).toBe(0);
  });

  it("offline: held and then failed for another reason (the client stopped) still counts as queued", async () => {
    const c = setup();
    await expect(countingPublish(() => Promise.reject(new Error("AWS_ERROR_MQTT5_USER_REQUESTED_STOP")), c)()).rejects.toThrow();
    await settled();
    expect(c.totals.messages_queued).toBe(1);
  });
});
