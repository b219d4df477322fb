import { describe, expect, it } from "vitest";
import type { ConnectionDropEvent, ConnectionEvent } from "../../../../src/collector/types.js";
import { TIMELINE_MAX_EVENTS, timelineSvg, type TimelineInput } from "../../../../src/http/routes/timeline.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
const up = (ms: number): ConnectionEvent => ({
  timestamp: iso(ms),
  event_type: "connected",
  session_present: false,
  return_code: 0,
  attempt_number: 1,
  time_to_reconnect_seconds: null,
  keep_alive_seconds: null,
  client_id: null,
  transport: null,
});
const drop = (ms: number): ConnectionDropEvent => ({
  timestamp: iso(ms),
  error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
  error_message: "hang-up",
  error_code: 5134,
  reconnect_attempt: 0,
  duration_connected_seconds: 1,
  active_subscriptions: 0,
  queued_commands: 0,
  disconnect_reason_code: null,
});
const input = (over: Partial<TimelineInput>): TimelineInput => ({
  connection: "c",
  connections: [],
  drops: [],
  stops: [],
  connected: false,
  nowMs: T0 + 3_600_000,
  ...over,
});

/** Each element of a class as [x, width] (bars) or [x] (ticks). */
function shapes(svg: string, cls: string): number[][] {
  return [...svg.matchAll(new RegExp(`<(rect|line) class="${cls}" (x|x1)="([\\d.]+)"(?: y="10" width="([\\d.]+)")?`, "g"))].map((m) =>
    m[4] !== undefined ? [Number(m[3]), Number(m[4])] : [Number(m[3])],
  );
}

describe("status page timeline", () => {
  it("ends a session where the service was stopped: no green bar across the time it was down", () => {
    // Connected for 10 min, stopped, down for 40 min, then connected again until now.
    const svg = timelineSvg(input({ connections: [up(T0), up(T0 + 3_000_000)], stops: [T0 + 600_000], connected: true }));
    const bars = shapes(svg, "session");
    expect(bars).toHaveLength(2);
    const [first, second] = bars as [number[], number[]];
    const stopX = shapes(svg, "stop")[0]?.[0] ?? NaN;
    // The first bar ends at the stop tick, the second starts 40 minutes later (about 507 px on).
    expect((first[0] ?? 0) + (first[1] ?? 0)).toBeCloseTo(stopX, 0);
    expect((second[0] ?? 0) - stopX).toBeGreaterThan(400);
    expect(shapes(svg, "unknown")).toEqual([]);
  });

  it("draws a session with no recorded end grey, never green", () => {
    // Two connections with no drop or stop between: when the first ended is not known.
    const svg = timelineSvg(input({ connections: [up(T0), up(T0 + 3_000_000)], connected: true }));
    expect(shapes(svg, "unknown")).toHaveLength(1);
    expect(shapes(svg, "session")).toHaveLength(1);
  });

  it("draws a bounded number of elements for a huge history", () => {
    const connections: ConnectionEvent[] = [];
    const drops: ConnectionDropEvent[] = [];
    for (let i = 0; i < 60_000; i++) {
      connections.push(up(T0 + i * 2000));
      drops.push(drop(T0 + i * 2000 + 1500));
    }
    const svg = timelineSvg(input({ connections, drops, nowMs: T0 + 120_000_000 + 1000 }));
    const elements = (svg.match(/<(rect|line) /g) ?? []).length;
    expect(elements).toBeLessThanOrEqual(2 * 760 + 1);
    // Only the newest TIMELINE_MAX_EVENTS of each kind are drawn: the window starts where
    // every kind is complete, at the oldest drop drawn.
    expect(/<text [^>]*>([^<]+)<\/text>/.exec(svg)?.[1]).toBe(iso(T0 + (60_000 - TIMELINE_MAX_EVENTS) * 2000 + 1500));
    expect(/<title>\d+ drops from /.test(svg)).toBe(true);
  });
});
