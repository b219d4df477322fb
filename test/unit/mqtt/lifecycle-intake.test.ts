import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { LifecycleIntake } from "../../../src/mqtt/lifecycle-intake.js";

describe("the observer's intake: a token bucket per client ID", () => {
  it("takes a burst, then the rate; counts what it refuses; one client ID's flood leaves the others alone", () => {
    const clock = new ManualClock(0);
    const intake = new LifecycleIntake(clock, 10, 100);
    const taken = Array.from({ length: 20_000 }, () => intake.admit("flooded")).filter(Boolean).length;
    expect(taken).toBe(100);
    expect(intake.dropped("flooded")).toBe(19_900);
    expect(intake.admit("quiet")).toBe(true);
    clock.advance(1000);
    expect(Array.from({ length: 50 }, () => intake.admit("flooded")).filter(Boolean).length).toBe(10);
    intake.refuse("quiet");
    expect([intake.dropped("quiet"), intake.dropped("unknown")]).toEqual([1, 0]);
  });

  it("a clock going back refills nothing", () => {
    const clock = new ManualClock(10_000);
    const intake = new LifecycleIntake(clock, 10, 1);
    expect(intake.admit("a")).toBe(true);
    clock.set(0);
    expect(intake.admit("a")).toBe(false);
  });
});
