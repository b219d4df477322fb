import { describe, expect, it, vi } from "vitest";
import { ListenerBus } from "../../../src/collector/listener-bus.js";

describe("ListenerBus", () => {
  it("runs derive listeners before persist listeners, whatever the order they were attached in", () => {
    const bus = new ListenerBus<number>(vi.fn());
    const order: string[] = [];
    bus.add(() => order.push("persist"), { phase: "persist" });
    bus.add(() => order.push("derive-1"));
    bus.add(() => order.push("derive-2"), { phase: "derive" });
    bus.emit(1);
    expect(order).toEqual(["derive-1", "derive-2", "persist"]);
  });

  it("gives restored events to derive listeners only", () => {
    const bus = new ListenerBus<number>(vi.fn());
    const derived: number[] = [];
    const persisted: number[] = [];
    bus.add((n) => persisted.push(n), { phase: "persist" });
    bus.add((n) => derived.push(n));
    bus.emit(1, true);
    bus.emit(2);
    expect(derived).toEqual([1, 2]);
    expect(persisted).toEqual([2]);
    expect(bus.wants(true)).toBe(true);
  });

  it("says when a derive listener comes after restored events it will not see", () => {
    const late = vi.fn();
    const bus = new ListenerBus<number>(vi.fn(), late);
    bus.add(() => undefined, { phase: "persist" });
    expect(bus.wants(true)).toBe(false);
    bus.emit(1, true);
    bus.emit(2, true);
    bus.add(() => undefined, { phase: "persist" });
    expect(late).not.toHaveBeenCalled();
    bus.add(() => undefined);
    expect(late).toHaveBeenCalledWith(2);
  });

  it("reports a throwing listener and still runs the others; detaching stops delivery", () => {
    const onError = vi.fn();
    const bus = new ListenerBus<number>(onError);
    const seen: number[] = [];
    bus.add(() => {
      throw new Error("boom");
    });
    const off = bus.add((n) => seen.push(n), { phase: "persist" });
    bus.emit(1);
    off();
    bus.emit(2);
    expect(seen).toEqual([1]);
    expect(onError).toHaveBeenCalledTimes(2);
  });
});
