import { describe, expect, it } from "vitest";
import { clientNode } from "../../../src/aws-join/nodes.js";
import { RecordNodes } from "../../../src/aws-join/record-nodes.js";
import { LifecycleLedger } from "../../../src/aws-join/ledger.js";
import { withServerJoin } from "../../../src/aws-join/export-section.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const s = (n: number) => ({ clientId: "dev-1", sessionIdentifier: `s-${n}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: n });

describe("each retained record's join node", () => {
  it("finds a record's node by identity while its kind retains it, whatever the other kinds do", () => {
    const nodes = new RecordNodes(2);
    const drop = {};
    const node = clientNode(1, T0, "drop");
    nodes.add("drop", drop, node);
    for (let i = 0; i < 5; i++) nodes.add("success", {}, clientNode(2 + i, T0 + i, "success"));
    expect(nodes.get(drop)).toBe(node);
    expect(nodes.get({})).toBeUndefined();
    // Two newer drops evict it (the collector's drop ring no longer has it either).
    nodes.add("drop", {}, clientNode(10, T0 + 10, "drop"));
    expect(nodes.get(drop)).toBe(node);
    nodes.add("drop", {}, clientNode(11, T0 + 11, "drop"));
    expect(nodes.get(drop)).toBeUndefined();
    nodes.clear();
    expect(nodes.get(drop)).toBeUndefined();
  });

  it("finds each record whatever order the reader walks them in, and the same record twice", () => {
    const nodes = new RecordNodes(5);
    const records = Array.from({ length: 8 }, () => ({}));
    const filed = records.map((r, i) => {
      const node = clientNode(i, T0 + i, i % 2 === 0 ? "drop" : "failure");
      nodes.add(i % 2 === 0 ? "drop" : "failure", r, node);
      return node;
    });
    const order = [0, 2, 4, 6, 6, 4, 2, 1, 7, 3, 5, 5, 0];
    expect(order.map((i) => nodes.get(records[i] as object))).toEqual(order.map((i) => filed[i]));
  });

  it("a retained drop keeps its server_reason and server_outcome after the ledger's client ring has evicted its node", () => {
    const ledger = new LifecycleLedger(3);
    ledger.clientEvent("success", T0, {});
    ledger.add(connectedEvent(s(1), T0 + 40), T0 + 50);
    const drop = { timestamp: new Date(T0 + 60_000).toISOString(), disconnect_reason_code: null };
    ledger.clientEvent("drop", T0 + 60_000, drop);
    ledger.add(disconnectedEvent(s(1), T0 + 59_900, "MQTT_KEEP_ALIVE_TIMEOUT"), T0 + 61_000);
    // Many later sessions, each cleanly stopped: the client ring (3 nodes) holds none of the first.
    for (let i = 0; i < 10; i++) {
      ledger.clientEvent("success", T0 + 120_000 + i * 10_000, {});
      ledger.clientEvent("stop", T0 + 125_000 + i * 10_000);
    }
    ledger.settle(T0 + 1_000_000);
    expect(ledger.join(T0 + 1_000_000).byClient.size).toBe(0);
    const [joined] = withServerJoin([drop], ledger);
    expect(joined?.server_reason).toBe("MQTT_KEEP_ALIVE_TIMEOUT");
    expect(joined?.server_outcome).toBe(ledger.outcome(drop)?.outcome);
    expect(joined?.server_outcome).not.toBeNull();
  });
});
