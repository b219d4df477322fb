import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../../src/aws-join/events.js";
import { lifecycleSection, withServerJoin } from "../../../src/aws-join/export-section.js";
import { LifecycleLedger } from "../../../src/aws-join/ledger.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const s = (n: number, clientId = "dev-1") => ({ clientId, sessionIdentifier: `s-${n}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: n });
type Kind = "drop" | "success" | "failure" | "stop";

/** The ledger that builds its join at AWS's first event, and the reference built from the first client event, fed the same. */
function pair(capacity: number) {
  const lazy = new LifecycleLedger(capacity, 10_000);
  const eager = new LifecycleLedger(capacity, 10_000, { eager: true });
  const drops: object[] = [];
  for (const l of [lazy, eager]) l.clientId = "dev-1";
  return {
    lazy,
    drops,
    client(kind: Kind, at: number) {
      const record = kind === "stop" ? undefined : { timestamp: new Date(at).toISOString(), disconnect_reason_code: null };
      if (kind === "drop" && record !== undefined) drops.push(record);
      for (const l of [lazy, eager]) l.clientEvent(kind, at, record);
    },
    aws(event: LifecycleEvent) {
      for (const l of [lazy, eager]) l.add(event);
    },
    /** Both answer the same (the retained drops: the newest `capacity`). */
    same(now: number) {
      const kept = drops.slice(-capacity);
      const out = (l: LifecycleLedger) => ({
        drops: withServerJoin(kept, l),
        section: lifecycleSection(l, now, 100),
        byClient: [...l.join(now).byClient],
        pending: l.join(now).pending,
      });
      expect(out(lazy)).toEqual(out(eager));
      return out(lazy);
    },
  };
}

describe("the client log the join is built from at AWS's first event", () => {
  it("keeps nothing of the join while AWS sends nothing for the client ID, however many events", () => {
    const p = pair(3);
    for (let i = 0; i < 3000; i++) p.client((["success", "drop", "failure", "stop"] as const)[i % 4] as Kind, T0 + i * 1000);
    expect(p.lazy.joinBuilt).toBe(false);
    // Another device's event is counted, not joined: still nothing to build.
    p.aws(connectedEvent(s(9, "dev-2"), T0));
    expect([p.lazy.joinBuilt, p.lazy.hasEvents]).toEqual([false, true]);
    p.same(T0 + 4_000_000);
  });

  it("a retained success whose session's end the log let go still has that end: a later drop does not take AWS's close", () => {
    const p = pair(1);
    p.client("success", T0);
    p.client("drop", T0 + 60_000); // ends the session
    p.client("drop", T0 + 70_000); // a failed reconnect: no session; the drop log (1) lets the first go
    p.aws(connectedEvent(s(1), T0 + 40));
    p.aws(disconnectedEvent(s(1), T0 + 59_900, "MQTT_KEEP_ALIVE_TIMEOUT"));
    expect(p.lazy.joinBuilt).toBe(true);
    // AWS's close belongs to the first drop (gone): the retained one has no server reason.
    expect(p.same(T0 + 100_000).drops.map((d) => d.server_reason)).toEqual([null]);
  });

  it("the same with a stop ending the session, and a session whose success the log let go", () => {
    const p = pair(1);
    p.client("success", T0);
    p.client("stop", T0 + 60_000);
    p.client("stop", T0 + 61_000);
    p.client("success", T0 + 120_000);
    p.client("drop", T0 + 180_000); // ends the second session
    p.client("success", T0 + 240_000); // the success log (1) lets the second success go; its drop stays
    p.aws(connectedEvent(s(2), T0 + 120_030));
    p.aws(disconnectedEvent(s(2), T0 + 179_950, "CONNECTION_LOST"));
    p.aws(disconnectedEvent(s(1), T0 + 60_010, "CLIENT_INITIATED_DISCONNECT"));
    p.same(T0 + 300_000);
  });

  it("builds the join at once when a client event's time goes back, or a drop comes without its record", () => {
    const back = pair(2);
    back.client("success", T0 + 10_000);
    back.client("drop", T0 + 5_000);
    expect(back.lazy.joinBuilt).toBe(true);
    back.aws(disconnectedEvent(s(1), T0 + 5_100, "CONNECTION_LOST"));
    back.same(T0 + 60_000);

    const bare = new LifecycleLedger(2);
    bare.clientEvent("stop", T0);
    expect(bare.joinBuilt).toBe(false);
    bare.clientEvent("drop", T0);
    expect(bare.joinBuilt).toBe(true);
  });

  it("starts empty again after a restore without AWS's events, and builds from the restored records", () => {
    const p = pair(2);
    p.client("success", T0);
    p.aws(connectedEvent(s(1), T0 + 40));
    expect(p.lazy.joinBuilt).toBe(true);
    p.lazy.restore(undefined, { drop: [], success: [{ timestamp: new Date(T0).toISOString() }], failure: [] });
    expect(p.lazy.joinBuilt).toBe(false);
    p.lazy.add(connectedEvent(s(1), T0 + 40));
    expect(p.lazy.join(T0 + 1000).byClient.size).toBe(1);
  });
});
