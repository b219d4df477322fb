import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AwsDisconnectReason, LifecycleEvent } from "../../../src/aws-join/events.js";
import { joinLifecycle, serverReasonOf, type ClientSideEvent } from "../../../src/aws-join/join.js";
import { connectFailedEvent, connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";

const W = 10_000;
const session = (n: number, ip = "198.51.100.1") => ({
  clientId: "dev-1",
  sessionIdentifier: `s-${n}`,
  principalIdentifier: "p",
  ipAddress: ip,
  versionNumber: n,
});

describe("joining client-side events with AWS's lifecycle events", () => {
  it("a drop gains the reason of the disconnected event nearest in time; the success its connected event", () => {
    const client: ClientSideEvent[] = [
      { id: 1, at: 1_000, kind: "success" },
      { id: 2, at: 60_000, kind: "drop" },
    ];
    const server = [connectedEvent(session(1), 990), disconnectedEvent(session(1), 59_500, "MQTT_KEEP_ALIVE_TIMEOUT")];
    const j = joinLifecycle(client, server, W, 200_000);
    expect(serverReasonOf(j.byClient.get(2))).toBe("MQTT_KEEP_ALIVE_TIMEOUT");
    expect(j.byClient.get(1)?.eventType).toBe("connected");
    expect([j.halfOpen, j.foreign, j.pending]).toEqual([[], [], []]);
  });

  it("a disconnected event with no drop is half-open once the window has passed, pending before", () => {
    const server = [connectedEvent(session(1), 0), disconnectedEvent(session(1), 50_000, "CONNECTION_LOST")];
    const client: ClientSideEvent[] = [{ id: 1, at: 10, kind: "success" }];
    expect(joinLifecycle(client, server, W, 55_000).pending).toHaveLength(1);
    expect(joinLifecycle(client, server, W, 70_000).halfOpen.map((e) => e.disconnectReason)).toEqual(["CONNECTION_LOST"]);
  });

  it("another device with our client ID: its connected event is foreign, its IP the evidence; our session's DUPLICATE_CLIENTID joins our drop", () => {
    const client: ClientSideEvent[] = [
      { id: 1, at: 0, kind: "success" },
      { id: 2, at: 30_050, kind: "drop" },
      { id: 3, at: 31_000, kind: "success" },
    ];
    const server: LifecycleEvent[] = [
      connectedEvent(session(1), 0),
      connectedEvent(session(2, "203.0.113.9"), 30_000),
      disconnectedEvent(session(1), 30_001, "DUPLICATE_CLIENTID"),
      connectedEvent(session(3), 31_010),
      disconnectedEvent(session(2, "203.0.113.9"), 31_011, "DUPLICATE_CLIENTID"),
    ];
    const j = joinLifecycle(client, server, W, 100_000);
    expect(serverReasonOf(j.byClient.get(2))).toBe("DUPLICATE_CLIENTID");
    expect(j.foreign.map((e) => e.ipAddress)).toEqual(["203.0.113.9"]);
    expect(j.halfOpen).toEqual([]); // the other device's own disconnection is not ours
  });

  it("a failed attempt joins connect_failed; an app's own disconnect joins CLIENT_INITIATED_DISCONNECT and is not half-open", () => {
    const client: ClientSideEvent[] = [
      { id: 1, at: 5_000, kind: "failure" },
      { id: 2, at: 9_000, kind: "success" },
      { id: 3, at: 20_000, kind: "stop" },
    ];
    const server = [
      connectFailedEvent(session(1), 5_100),
      connectedEvent(session(2), 9_000),
      disconnectedEvent(session(2), 20_002, "CLIENT_INITIATED_DISCONNECT"),
    ];
    const j = joinLifecycle(client, server, W, 100_000);
    expect(serverReasonOf(j.byClient.get(1))).toBe("AUTHORIZATION_FAILED");
    expect(serverReasonOf(j.byClient.get(3))).toBe("CLIENT_INITIATED_DISCONNECT");
    expect([j.halfOpen, j.foreign, j.foreignFailures]).toEqual([[], [], []]);
  });

  it("an event of our own session wins over a nearer one of an unknown session, which is not half-open (our session ended)", () => {
    const client: ClientSideEvent[] = [
      { id: 1, at: 0, kind: "success" },
      { id: 2, at: 30_000, kind: "drop" },
    ];
    const server: LifecycleEvent[] = [
      connectedEvent(session(1), 0),
      disconnectedEvent(session(1), 30_900, "DUPLICATE_CLIENTID"),
      disconnectedEvent(session(7), 30_010, "THROTTLED"),
    ];
    const j = joinLifecycle(client, server, W, 100_000);
    expect(serverReasonOf(j.byClient.get(2))).toBe("DUPLICATE_CLIENTID");
    expect(j.halfOpen).toEqual([]);
  });

  it("a disconnect whose session is unknown joins by time only, within the window", () => {
    const j = joinLifecycle([{ id: 1, at: 0, kind: "drop" }], [disconnectedEvent(session(1), W + 1, "THROTTLED")], W, 100_000);
    expect(j.byClient.size).toBe(0);
    expect(j.halfOpen).toEqual([]); // the client has no open session: not half-open
    expect(
      serverReasonOf(joinLifecycle([{ id: 1, at: 0, kind: "drop" }], [disconnectedEvent(session(1), W - 1, "THROTTLED")], W, 100_000).byClient.get(1)),
    ).toBe("THROTTLED");
  });

  const REASONS: AwsDisconnectReason[] = ["THROTTLED", "CONNECTION_LOST", "MQTT_KEEP_ALIVE_TIMEOUT", "SERVER_ERROR", "DUPLICATE_CLIENTID"];

  it("property: any delay (within the window), duplication and reordering joins each drop exactly once, to its own event", () => {
    const arb = fc.record({
      sessions: fc.array(
        fc.record({
          delay: fc.integer({ min: -W / 2, max: W / 2 }),
          reason: fc.constantFrom(...REASONS),
          connectDelay: fc.integer({ min: -W / 2, max: W / 2 }),
        }),
        { minLength: 1, maxLength: 12 },
      ),
      dupes: fc.array(fc.nat(), { maxLength: 20 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arb, ({ sessions, dupes, seed }) => {
        const client: ClientSideEvent[] = [];
        const server: LifecycleEvent[] = [];
        // Sessions are a few windows long, as real ones are (a drop and the next success are 3 windows apart).
        sessions.forEach((s, i) => {
          const start = i * 6 * W;
          client.push({ id: 2 * i, at: start, kind: "success" }, { id: 2 * i + 1, at: start + 3 * W, kind: "drop" });
          server.push(connectedEvent(session(i + 1), start + s.connectDelay), disconnectedEvent(session(i + 1), start + 3 * W + s.delay, s.reason));
        });
        for (const d of dupes) server.push(server[d % server.length] as LifecycleEvent);
        // A deterministic shuffle from the seed.
        let x = seed;
        const shuffled = server
          .map((e) => ({ e, k: (x = (x * 1103515245 + 12345) & 0x7fffffff) }))
          .sort((a, b) => a.k - b.k)
          .map((p) => p.e);
        const j = joinLifecycle(client, shuffled, W, Number.MAX_SAFE_INTEGER);
        sessions.forEach((s, i) => {
          const joined = j.byClient.get(2 * i + 1);
          expect(joined).toEqual(disconnectedEvent(session(i + 1), i * 6 * W + 3 * W + s.delay, s.reason));
        });
        expect([j.halfOpen, j.foreign, j.pending]).toEqual([[], [], []]);
        const joinedEvents = [...j.byClient.values()];
        expect(new Set(joinedEvents).size).toBe(joinedEvents.length);
        // The same sets in arrival order give the same join.
        expect(joinLifecycle(client, server, W, Number.MAX_SAFE_INTEGER).byClient).toEqual(j.byClient);
      }),
    );
  });
});
