import { describe, expectTypeOf, it } from "vitest";
import type { KinesisFleetSource } from "../../../src/kinesis/kinesis-source.js";
import type { KinesisSourceOptions, KinesisSourceStats } from "../../../src/kinesis/source-options.js";

describe("KinesisSourceOptions and KinesisSourceStats", () => {
  it("are what KinesisFleetSource takes and reports", () => {
    expectTypeOf<ConstructorParameters<typeof KinesisFleetSource>[0]>().toEqualTypeOf<KinesisSourceOptions>();
    expectTypeOf<KinesisFleetSource["stats"]>().toEqualTypeOf<KinesisSourceStats>();
  });

  it("leave the lease timing and the state store optional (their defaults are the source's)", () => {
    expectTypeOf<Pick<KinesisSourceOptions, "leaseMs" | "idleMs" | "checkpointMs" | "states">>().toEqualTypeOf<
      Partial<Pick<KinesisSourceOptions, "leaseMs" | "idleMs" | "checkpointMs" | "states">>
    >();
  });
});
