import { afterEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { createDiagnoser, watchDiagnosis } from "../../../src/diagnosis/diagnoser.js";
import type { Diagnosis } from "../../../src/diagnosis/types.js";

/** Sessions of 1.5 s each ended by DISCONNECT 0x8E (session taken over): a client-ID fight. */
function takeovers(registry: CollectorRegistry, clock: ManualClock, name: string, n: number): void {
  const c = registry.getOrCreate(name);
  for (let i = 0; i < n; i++) {
    c.recordConnectionSuccess();
    clock.advance(1500);
    c.recordConnectionDrop({ disconnectReasonCode: 0x8e });
    clock.advance(1800);
  }
}

describe("createDiagnoser", () => {
  it("diagnoses known connections only, and recomputes only after something was recorded", () => {
    const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const registry = new CollectorRegistry({ clock });
    const diagnoser = createDiagnoser(registry);
    expect(diagnoser("nobody")).toBeUndefined();
    registry.getOrCreate("a");
    const first = diagnoser("a");
    expect(first?.status).toBe("insufficient_data");
    expect(diagnoser("a")).toBe(first);
    takeovers(registry, clock, "a", 4);
    const later = diagnoser("a");
    expect(later).not.toBe(first);
    expect(later?.findings.map((f) => f.cause)).toContain("duplicate_client_id");
  });

  it("passes each connection's configuration on (MQTT 3.1.1 gets its blind-spot note)", () => {
    const registry = new CollectorRegistry({ clock: new ManualClock(0) });
    registry.getOrCreate("old");
    registry.getOrCreate("new");
    const diagnoser = createDiagnoser(registry, new Map([["old", { protocol: "mqtt311" as const }]]));
    expect(diagnoser("old")?.limits).toHaveLength(1);
    expect(diagnoser("new")?.limits).toBeUndefined();
  });
});

describe("watchDiagnosis", () => {
  afterEach(() => vi.useRealTimers());

  it("logs a connection when its causes change, not its first 'nothing to say'", () => {
    vi.useFakeTimers();
    const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const registry = new CollectorRegistry({ clock });
    registry.getOrCreate("a");
    const logged: [string, Diagnosis["status"]][] = [];
    const stop = watchDiagnosis(registry, createDiagnoser(registry), (name, d) => logged.push([name, d.status]), 1000);
    vi.advanceTimersByTime(1000);
    expect(logged).toEqual([]);
    takeovers(registry, clock, "a", 4);
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(1000);
    expect(logged).toEqual([["a", "findings"]]);
    stop();
    takeovers(registry, clock, "a", 20);
    vi.advanceTimersByTime(5000);
    expect(logged).toHaveLength(1);
  });

  // issue 21: after a reconnect storm every connection changed, and the check diagnosed them all
  // in one turn of the event loop.
  it("visits connections through the forEach it is given, and does not overlap a check still running", async () => {
    vi.useFakeTimers();
    const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const registry = new CollectorRegistry({ clock });
    for (const name of ["a", "b", "c"]) takeovers(registry, clock, name, 4);
    const logged: string[] = [];
    const visits: string[][] = [];
    let finish: () => void = () => undefined;
    // One connection per turn, the rest when released: as a sliced walk would.
    const forEach = <T>(items: Iterable<T>, visit: (item: T) => void) => {
      const list = [...items];
      visits.push(list.map(String));
      visit(list[0] as T);
      return new Promise<void>((resolve) => {
        finish = () => {
          for (const item of list.slice(1)) visit(item);
          resolve();
        };
      });
    };
    const stop = watchDiagnosis(registry, createDiagnoser(registry), (name) => logged.push(name), 1000, forEach);
    vi.advanceTimersByTime(1000);
    expect(logged).toEqual(["a"]);
    vi.advanceTimersByTime(1000);
    expect(visits).toHaveLength(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(logged).toEqual(["a", "b", "c"]);
    vi.advanceTimersByTime(1000);
    expect(visits).toHaveLength(2);
    stop();
  });
});
