import { describe, expect, it } from "vitest";
import * as entry from "../../../src/exports/kinesis.js";

describe("mqtt-diagnostics-exporter/kinesis", () => {
  it("holds the Kinesis fleet source, its client and the directory lease store", () => {
    expect(Object.keys(entry).sort()).toEqual(["DirectoryLeaseStore", "KinesisFleetSource", "SHARD_END", "createKinesisClient"]);
  });
});
