import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../../src/clock.js";
import { CollectorRegistry } from "../../../../src/collector/registry.js";
import { recordStops } from "../../../../src/http/routes/stop-log.js";
import { T0 } from "../../../helpers/app.js";

function registry() {
  const clock = new ManualClock(T0);
  return { clock, registry: new CollectorRegistry({ clock, logger: { warn: () => undefined, error: () => undefined } }) };
}

describe("recordStops", () => {
  it("keeps each connection's stop times, for collectors made before and after it was attached", () => {
    const { clock, registry: r } = registry();
    const early = r.getOrCreate("early");
    const log = recordStops(r, 10);
    const late = r.getOrCreate("late");
    early.recordConnectionSuccess();
    clock.advance(1_000);
    early.recordConnectionStopped("shutdown");
    clock.advance(1_000);
    late.recordConnectionStopped("client stopped");
    expect(log.stopsOf("early")).toEqual([T0 + 1_000]);
    expect(log.stopsOf("late")).toEqual([T0 + 2_000]);
    expect(log.stopsOf("unknown")).toEqual([]);
    log.close();
  });

  it("ignores other events and keeps at most `capacity` stops, the newest", () => {
    const { clock, registry: r } = registry();
    const log = recordStops(r, 2);
    const c = r.getOrCreate("c");
    for (let i = 1; i <= 4; i++) {
      c.recordConnectionSuccess();
      clock.advance(1_000);
      c.recordConnectionStopped();
    }
    expect(log.stopsOf("c")).toEqual([T0 + 3_000, T0 + 4_000]);
    log.close();
  });

  it("after close, nothing more is recorded, from old or new collectors", () => {
    const { clock, registry: r } = registry();
    const log = recordStops(r, 10);
    const c = r.getOrCreate("c");
    log.close();
    clock.advance(1_000);
    c.recordConnectionStopped();
    r.getOrCreate("d").recordConnectionStopped();
    expect(log.stopsOf("c")).toEqual([]);
    expect(log.stopsOf("d")).toEqual([]);
  });
});
