import { describe, expect, it } from "vitest";
import { checkFleetSnapshot } from "../../../src/fleet/fleet-snapshot.js";
import { DeviceState } from "../../../src/fleet/device-state.js";

const good = () => ({ version: 1, devices: [new DeviceState("a").snapshot()] });

describe("checkFleetSnapshot", () => {
  it("accepts a snapshot the state wrote", () => {
    expect(checkFleetSnapshot(JSON.parse(JSON.stringify(good())))).toEqual(good());
  });

  it("accepts a checkpoint written before devices shipped their SDK version", () => {
    const { sdk_version: _absent, ...older } = new DeviceState("a").snapshot();
    expect(() => checkFleetSnapshot({ version: 1, devices: [older] })).not.toThrow();
  });

  it.each([
    ["not an object", 7, "not a version 1 fleet snapshot"],
    ["another version", { ...good(), version: 2 }, "not a version 1"],
    ["a device that is not an object", { version: 1, devices: [1] }, "devices[0] is not an object"],
    ["a missing field", { version: 1, devices: [{ ...new DeviceState("a").snapshot(), connects: undefined }] }, "devices[0].connects is absent"],
    ["a bad hash", { version: 1, devices: [{ ...new DeviceState("a").snapshot(), seen: [2 ** 33] }] }, "devices[0].seen is invalid"],
    [
      "an SDK version that is not one",
      { version: 1, devices: [{ ...new DeviceState("a").snapshot(), sdk_version: "<b>" }] },
      "devices[0].sdk_version is invalid",
    ],
    ["a bad reason count", { version: 1, devices: [{ ...new DeviceState("a").snapshot(), reasons: { X: "1" } }] }, "devices[0].reasons is invalid"],
  ])("refuses %s", (_name, value, message) => {
    expect(() => checkFleetSnapshot(JSON.parse(JSON.stringify(value)) as unknown)).toThrow(message);
  });
});
