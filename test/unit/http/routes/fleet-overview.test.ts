import { describe, expect, it } from "vitest";
import { devicePath, fleetOverview } from "../../../../src/http/routes/fleet-overview.js";
import { fleetWith } from "../../../helpers/fleet-fixture.js";

describe("fleetOverview", () => {
  const { state } = fleetWith([
    { id: "t-1", drops: 3 },
    { id: "t-2", drops: 1 },
    { id: "t-3", drops: 3, connected: false },
    { id: "ttl-1", drops: 2, reason: "WEBSOCKET_TTL_EXPIRATION" },
    { id: "ok-1", drops: 0 },
  ]);

  it("counts devices, connected ones and causes, and keeps only the top rows (most drops, ties by client ID), overall and per cause", () => {
    const o = fleetOverview(state, 3, 1);
    expect([o.devices, o.connected, o.undiagnosed]).toEqual([5, 4, 0]);
    expect(o.byCause).toEqual([
      ["server_throttling", 3],
      ["aws_connection_ttl", 1],
      ["healthy", 1],
    ]);
    expect(o.top.map((r) => [r.client_id, r.drops, r.connected])).toEqual([
      ["t-1", 3, true],
      ["t-3", 3, false],
      ["ttl-1", 2, true],
    ]);
    expect(Object.fromEntries([...o.topByCause].map(([c, rows]) => [c, rows.map((r) => r.client_id)]))).toEqual({
      server_throttling: ["t-1"],
      aws_connection_ttl: ["ttl-1"],
    });
  });

  it("lists no device without drops, and no per-cause rows unless asked", () => {
    const o = fleetOverview(state, 100);
    expect(o.top.map((r) => r.client_id)).not.toContain("ok-1");
    expect(o.topByCause.size).toBe(0);
  });

  it("links a device by its encoded client ID", () => {
    expect(devicePath("a/b c")).toBe("/fleet/devices/a%2Fb%20c");
  });
});
